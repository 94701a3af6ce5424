// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { SelectionList } from "../panels/selection";

describe("selection list", () => {
  it("shows the count, the rows the kernel sends, and nothing once cleared", () => {
    const list = new SelectionList();
    const many = Uint32Array.from({ length: 500 }, (_, i) => i * 2);
    list.show(many);
    expect(list.element.textContent).toContain("500 selected");
    list.show([]);
    list.receive({ type: "rows", total: 500, rows: [{ index: 0, label: "old", image: false }] }, []);
    expect(list.element.textContent).not.toContain("old"); // cleared meanwhile
    list.show([7, 9]);
    list.receive(
      {
        type: "rows",
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
    const list = new SelectionList();
    list.show([1]);
    expect(list.element.hidden).toBe(false);
    list.show([]);
    expect(list.element.hidden).toBe(true);
  });
});
