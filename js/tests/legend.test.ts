// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { hiddenMask, Legend } from "../panels/legend";
import type { CategoricalColors } from "../protocol/model";

const colors: CategoricalColors = {
  kind: "categorical",
  column: "target",
  codes: new DataView(new Uint8Array([0, 1, 2, 1]).buffer),
  categories: ["0", "1", "<b>2</b>"],
  counts: [1, 2, 1],
  palette: ["#1f77b4", "#ff7f0e", "#2ca02c"],
  other: [],
  other_count: 0,
};

describe("legend", () => {
  it("lists categories with counts and the kernel's colours, as text", () => {
    const legend = new Legend(vi.fn());
    legend.show(colors);
    const items = legend.element.querySelectorAll(".ew-legend-item");
    expect(items).toHaveLength(3);
    expect(items[1].textContent).toContain("2");
    expect(legend.element.querySelector("b")).toBeNull();
    expect(items[2].querySelector(".ew-legend-label")?.textContent).toBe("<b>2</b>");
    const swatch = items[1].querySelector<HTMLElement>(".ew-swatch");
    expect(swatch?.style.background).toMatch(/#ff7f0e|rgb\(255, 127, 14\)/);
    expect(legend.element.querySelector(".ew-legend-note")).toBeNull();
  });

  it("click hides, shift-click isolates, 'show all' brings every category back", () => {
    const onChange = vi.fn();
    const last = (): number[] => [...(onChange.mock.lastCall?.[0] ?? [])];
    const legend = new Legend(onChange);
    legend.show(colors);
    const items = legend.element.querySelectorAll<HTMLElement>(".ew-legend-item");
    const showAll = legend.element.querySelector<HTMLButtonElement>(".ew-legend-all");
    expect(showAll?.hidden).toBe(true);
    items[1].dispatchEvent(new MouseEvent("click"));
    expect(last()).toEqual([1]);
    items[0].dispatchEvent(new MouseEvent("click", { shiftKey: true }));
    expect(last().sort()).toEqual([1, 2]);
    expect(showAll?.hidden).toBe(false);
    showAll?.dispatchEvent(new MouseEvent("click"));
    expect(last()).toEqual([]);
    expect(showAll?.hidden).toBe(true);
    expect(legend.element.querySelectorAll(".ew-off")).toHaveLength(0);
  });

  it("says how many categories '(other)' merged and names them on hover", () => {
    const legend = new Legend(vi.fn());
    const other = Array.from({ length: 45 }, (_, i) => `rare ${i}`);
    legend.show({ ...colors, categories: ["0", "1", "(other)"], other, other_count: 45 });
    expect(legend.element.querySelector(".ew-legend-note")?.textContent).toContain("45 rarer categories");
    const item = legend.element.querySelectorAll<HTMLElement>(".ew-legend-item")[2];
    expect(item.title).toContain("rare 0, rare 1");
    expect(item.title).toContain("and 5 more");
  });

  it("shows a colorbar with the kernel's ticks and scale", () => {
    const legend = new Legend(vi.fn());
    legend.show({
      kind: "continuous",
      column: "length",
      positions: new DataView(new ArrayBuffer(0)),
      min: 5,
      max: 5206,
      scale: "log",
      scales: ["auto", "linear", "log", "quantile"],
      ticks: [
        [0, "5"],
        [0.5, "100"],
        [1, "5206"],
      ],
      colormap: ["#440154", "#fde725"],
    });
    expect(legend.element.querySelector(".ew-colorbar")).not.toBeNull();
    const ticks = legend.element.querySelectorAll<HTMLElement>(".ew-colorbar-tick");
    expect([...ticks].map((t) => t.textContent)).toEqual(["5", "100", "5206"]);
    expect(ticks[1].style.left).toBe("50.00%");
    expect(legend.element.textContent).toContain("log scale");
  });

  it("masks points of hidden categories", () => {
    expect(hiddenMask(new Uint8Array([0, 1, 2, 1]), new Set([1]))).toEqual(new Uint8Array([0, 1, 0, 1]));
    expect(hiddenMask(new Uint8Array([0, 1]), new Set())).toBeNull();
  });
});
