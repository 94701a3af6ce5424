// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { Tooltip } from "../tooltip";

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
});
