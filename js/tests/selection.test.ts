// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { SelectionList } from "../panels/selection";

describe("selection list", () => {
  it("asks for the first rows, shows the count, and ignores stale answers", () => {
    const ask = vi.fn();
    const list = new SelectionList(ask);
    const many = Uint32Array.from({ length: 500 }, (_, i) => i * 2);
    list.show(many);
    expect(ask).toHaveBeenLastCalledWith(1); // no index list crosses: the kernel reads the selection
    expect(list.element.textContent).toContain("500 selected");
    list.show([7, 9]);
    list.receive(
      { type: "rows", request: 1, total: 500, rows: [{ index: 0, label: "old", image: false }] },
      [],
    );
    expect(list.element.textContent).not.toContain("old");
    list.receive(
      {
        type: "rows",
        request: 2,
        total: 2,
        rows: [
          { index: 7, label: "<i>seven</i>", image: false },
          { index: 9, label: "nine", image: false },
        ],
      },
      [],
    );
    expect(list.element.querySelectorAll(".ew-selection-item")).toHaveLength(2);
    expect(list.element.querySelector("i")).toBeNull();
    expect(list.element.textContent).toContain("<i>seven</i>");
  });

  it("hides when nothing is selected", () => {
    const list = new SelectionList(vi.fn());
    list.show([1]);
    expect(list.element.hidden).toBe(false);
    list.show([]);
    expect(list.element.hidden).toBe(true);
  });
});
