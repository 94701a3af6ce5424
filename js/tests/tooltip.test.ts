// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { CACHE_ROWS, Tooltip } from "../panels/tooltip";

describe("tooltip", () => {
  it("keeps one request in flight and asks only for the newest row after it", () => {
    const request = vi.fn();
    const tooltip = new Tooltip(request);
    for (let i = 0; i < 100; i++) tooltip.hover(i, 10, 10);
    expect(request.mock.calls).toEqual([[0]]);
    tooltip.receive({ type: "row", index: 0, values: [["a", "1"]] }, []);
    expect(request.mock.calls).toEqual([[0], [99]]);
    tooltip.receive({ type: "row", index: 99, values: [["a", "<img src=x onerror=alert(1)>"]] }, []);
    expect(tooltip.element.hidden).toBe(false);
    expect(tooltip.element.querySelector("img")).toBeNull();
    expect(tooltip.element.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("hides while an unseen row is fetched, never showing the previous row", () => {
    const tooltip = new Tooltip(vi.fn());
    tooltip.hover(1);
    tooltip.receive({ type: "row", index: 1, values: [["label", "one"]] }, []);
    expect(tooltip.element.hidden).toBe(false);
    tooltip.hover(2);
    expect(tooltip.element.hidden).toBe(true);
    tooltip.receive({ type: "row", index: 2, values: [["label", "two"]] }, []);
    expect(tooltip.element.textContent).toContain("two");
  });

  it("keeps a bounded cache", () => {
    const request = vi.fn();
    const tooltip = new Tooltip(request);
    for (let i = 0; i <= CACHE_ROWS; i++) {
      tooltip.hover(i);
      tooltip.receive({ type: "row", index: i, values: [["v", String(i)]] }, []);
    }
    request.mockClear();
    tooltip.hover(CACHE_ROWS);
    expect(request).not.toHaveBeenCalled();
    tooltip.hover(0);
    expect(request).toHaveBeenCalledWith(0);
  });

  it("answers from its cache and hides on null", () => {
    const request = vi.fn();
    const tooltip = new Tooltip(request);
    tooltip.hover(5);
    tooltip.receive({ type: "row", index: 5, values: [["label", "cat"]] }, []);
    tooltip.hover(null);
    expect(tooltip.element.hidden).toBe(true);
    tooltip.hover(5);
    expect(request).toHaveBeenCalledTimes(1);
    expect(tooltip.element.textContent).toContain("cat");
  });

  it("stays inside the plot: flips left of and above a point near the far corner", () => {
    const plot = document.createElement("div");
    Object.defineProperty(plot, "clientWidth", { value: 400 });
    Object.defineProperty(plot, "clientHeight", { value: 300 });
    const tooltip = new Tooltip(vi.fn());
    plot.appendChild(tooltip.element);
    Object.defineProperty(tooltip.element, "offsetWidth", { value: 200 });
    Object.defineProperty(tooltip.element, "offsetHeight", { value: 120 });
    tooltip.hover(1, 50, 40);
    tooltip.receive({ type: "row", index: 1, values: [["a", "1"]] }, []);
    expect([tooltip.element.style.left, tooltip.element.style.top]).toEqual(["64px", "54px"]);
    tooltip.hover(1, 390, 290); // near the bottom-right corner
    expect([tooltip.element.style.left, tooltip.element.style.top]).toEqual(["176px", "156px"]);
  });
});
