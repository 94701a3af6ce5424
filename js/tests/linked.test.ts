// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { Link, type LinkTarget } from "../plot/linked";

/** A plot of `n` rows at (10 * row, 5), some hidden, with a camera the test can read. */
function target(n: number, hidden: number[] = []): LinkTarget & { view: number[] } {
  const plot = {
    view: [1, 0, 0, 1],
    position: (row: number) => (row < n ? ([10 * row, 5] as [number, number]) : undefined),
    hidden: (row: number) => hidden.includes(row),
    camera: () => plot.view,
    setCamera: (view: ArrayLike<number>) => {
      plot.view = Array.from(view);
    },
  };
  return plot;
}

function int32(values: number[]): DataView {
  return new DataView(new Int32Array(values).buffer);
}

function ring(link: Link): { row: string | undefined; cx: string | null } {
  const circle = link.element.querySelector("circle");
  return { row: link.element.dataset.row, cx: circle?.getAttribute("cx") ?? null };
}

describe("linked views", () => {
  it("mark the row hovered in another view of the group, and only that group", () => {
    const [a, b, c] = [new Link(target(10)), new Link(target(10)), new Link(target(10))];
    a.update({ group: "g1", keys: null, zoom: false });
    b.update({ group: "g1", keys: null, zoom: false });
    c.update({ group: "g2", keys: null, zoom: false });
    a.hovered(3);
    expect(ring(b)).toEqual({ row: "3", cx: "30" });
    expect(ring(a).row).toBeUndefined(); // (the hovered view has its own hover)
    expect(ring(c).row).toBeUndefined();
    a.hovered(null);
    expect(ring(b).row).toBeUndefined();
    for (const link of [a, b, c]) link.dispose();
  });

  it("match rows across tables by their keys, and mark nothing for a row the other lacks", () => {
    const a = new Link(target(3));
    const b = new Link(target(3));
    a.update({ group: "keys", keys: int32([7, 8, 9]), zoom: false });
    b.update({ group: "keys", keys: int32([9, 7, 5]), zoom: false });
    a.hovered(0); // key 7: the second row of b
    expect(ring(b).row).toBe("1");
    b.hovered(2); // key 5: not in a
    expect(ring(a).row).toBeUndefined();
    a.dispose();
    b.dispose();
  });

  it("mark no hidden row, and no row past the other view's end", () => {
    const a = new Link(target(10));
    const b = new Link(target(4, [1]));
    a.update({ group: "h", keys: null, zoom: false });
    b.update({ group: "h", keys: null, zoom: false });
    a.hovered(1);
    expect(ring(b).row).toBeUndefined();
    a.hovered(8);
    expect(ring(b).row).toBeUndefined();
    a.dispose();
    b.dispose();
  });

  it("move the other cameras only with zoom linked", () => {
    const plots = [target(5), target(5)];
    const [a, b] = plots.map((plot) => new Link(plot));
    a.update({ group: "z", keys: null, zoom: false });
    b.update({ group: "z", keys: null, zoom: false });
    plots[0].view = [2, 0, 0, 2];
    a.moved();
    expect(plots[1].view).toEqual([1, 0, 0, 1]);
    a.update({ group: "z", keys: null, zoom: true });
    b.update({ group: "z", keys: null, zoom: true });
    a.moved();
    expect(plots[1].view).toEqual([2, 0, 0, 2]);
    a.dispose();
    b.dispose();
  });

  it("leave the group: a view unlinked (or gone) is marked by no one and marks no one", () => {
    const a = new Link(target(5));
    const b = new Link(target(5));
    a.update({ group: "l", keys: null, zoom: false });
    b.update({ group: "l", keys: null, zoom: false });
    a.hovered(2);
    expect(ring(b).row).toBe("2");
    b.update({}); // unlinked from Python: its mark goes too
    expect(ring(b).row).toBeUndefined();
    a.hovered(3);
    expect(ring(b).row).toBeUndefined();
    a.dispose();
    expect((globalThis as { __embedWidgetLinks?: Map<string, unknown> }).__embedWidgetLinks?.has("l")).toBe(
      false,
    );
  });
});
