// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { hiddenMask, Legend } from "../panels/legend";

const colors = {
  kind: "categorical" as const,
  column: "target",
  codes: new DataView(new Uint8Array([0, 1, 2, 1]).buffer),
  categories: ["0", "1", "<b>2</b>"],
  counts: [1, 2, 1],
  palette: ["#4e79a7", "#f28e2b", "#e15759"],
};

describe("legend", () => {
  it("lists categories with counts, as text", () => {
    const legend = new Legend(vi.fn());
    legend.show(colors);
    const items = legend.element.querySelectorAll(".ew-legend-item");
    expect(items).toHaveLength(3);
    expect(items[1].textContent).toContain("2");
    expect(legend.element.querySelector("b")).toBeNull();
    expect(items[2].querySelector(".ew-legend-label")?.textContent).toBe("<b>2</b>");
    const swatch = items[1].querySelector<HTMLElement>(".ew-swatch");
    expect(swatch?.style.background).toMatch(/#f28e2b|rgb\(242, 142, 43\)/); // the kernel's palette
  });

  it("click hides a category, shift-click isolates one, again shows all", () => {
    const onChange = vi.fn();
    const last = (): number[] => [...(onChange.mock.lastCall?.[0] ?? [])];
    const legend = new Legend(onChange);
    legend.show(colors);
    const items = legend.element.querySelectorAll<HTMLElement>(".ew-legend-item");
    items[1].dispatchEvent(new MouseEvent("click"));
    expect(last()).toEqual([1]);
    items[0].dispatchEvent(new MouseEvent("click", { shiftKey: true }));
    expect(last().sort()).toEqual([1, 2]);
    items[0].dispatchEvent(new MouseEvent("click", { shiftKey: true }));
    expect(last()).toEqual([]);
  });

  it("shows a colorbar for continuous values", () => {
    const legend = new Legend(vi.fn());
    legend.show({
      kind: "continuous",
      column: "score",
      values: new DataView(new ArrayBuffer(0)),
      min: 0,
      max: 2.5,
      colormap: ["#440154", "#fde725"],
    });
    expect(legend.element.querySelector(".ew-colorbar")).not.toBeNull();
    expect(legend.element.textContent).toContain("2.50");
  });

  it("masks points of hidden categories", () => {
    expect(hiddenMask(new Uint8Array([0, 1, 2, 1]), new Set([1]))).toEqual(new Uint8Array([0, 1, 0, 1]));
    expect(hiddenMask(new Uint8Array([0, 1]), new Set())).toBeNull();
  });
});
