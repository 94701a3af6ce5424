import { describe, expect, it } from "vitest";
import { LayoutSequence } from "../plot/sequence";
import type { Layout } from "../protocol/model";

function layout(xy: number[][], extra: Partial<Layout> = {}): Layout {
  const coords = new Float32Array(xy.flat());
  return { coords: new DataView(coords.buffer), n: xy.length, seq: 1, final: true, ...extra };
}

const SQUARE = [
  [0, 0],
  [4, 0],
  [4, 2],
  [0, 2],
];

describe("the layouts drawn one after another", () => {
  it("fits the first into the plot, without moving there", () => {
    const next = new LayoutSequence().next(layout(SQUARE), null, true);
    expect(next?.animate).toBe(false);
    expect(next?.points.x[1]).toBeCloseTo(0.92);
  });

  it("turns a mirrored layout back to the one on screen, and moves there", () => {
    const sequence = new LayoutSequence();
    const first = sequence.next(layout(SQUARE), null, true);
    const mirrored = SQUARE.map(([x, y]) => [-x, y]);
    const next = sequence.next(layout(mirrored, { seq: 2 }), first?.points ?? null, false);
    expect(next?.animate).toBe(true);
    expect(Array.from(next?.points.x ?? [])).toEqual(
      Array.from(first?.points.x ?? []).map((v) => expect.closeTo(v)),
    );
  });

  it("draws a linked view's layout as the kernel turned it, in the box the views share", () => {
    const sequence = new LayoutSequence();
    const first = sequence.next(layout(SQUARE), null, true);
    const mirrored = SQUARE.map(([x, y]) => [-x, y]);
    const linked = { seq: 2, aligned: true, frame: [-8, -4, 8, 4] };
    const next = sequence.next(layout(mirrored, linked), first?.points ?? null, false);
    expect(next?.points.x[1]).toBeCloseTo(-0.46); // not turned back; half the shared box's width
  });

  it("keeps rows already drawn in place when a layout only adds rows", () => {
    const sequence = new LayoutSequence();
    const first = sequence.next(layout(SQUARE), null, true);
    const next = sequence.next(layout([...SQUARE, [2, 1]], { seq: 2 }), first?.points ?? null, false);
    expect(Array.from(next?.points.x.slice(0, 4) ?? [])).toEqual(Array.from(first?.points.x ?? []));
    expect(next?.points.x[4]).toBeCloseTo(0); // (the centre of the square)
  });

  it("moves frames of one computation directly, and animates its final layout", () => {
    const sequence = new LayoutSequence();
    const shown = sequence.next(layout(SQUARE, { seq: 3, final: true }), null, true);
    const frame = sequence.next(layout(SQUARE, { seq: 4, final: false }), shown?.points ?? null, false);
    expect(frame?.animate).toBe(true); // (a new computation's first frame)
    const again = sequence.next(layout(SQUARE, { seq: 4, final: false }), frame?.points ?? null, false);
    expect(again?.animate).toBe(false);
    const final = sequence.next(layout(SQUARE, { seq: 4, final: true }), again?.points ?? null, false);
    expect(final?.animate).toBe(true);
    expect(sequence.next({}, null, false)).toBeNull();
  });
});
