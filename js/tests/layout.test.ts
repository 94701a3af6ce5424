import { describe, expect, it } from "vitest";
import { alignTo, extended, normalize, pointOpacity, pointSize, refit } from "../plot/layout";

function interleave(xs: number[], ys: number[]): Float32Array {
  return Float32Array.from(xs.flatMap((x, i) => [x, ys[i]]));
}

function maxDistance(a: { x: Float32Array; y: Float32Array }, b: { x: Float32Array; y: Float32Array }) {
  let max = 0;
  for (let i = 0; i < a.x.length; i++) max = Math.max(max, Math.hypot(a.x[i] - b.x[i], a.y[i] - b.y[i]));
  return max;
}

describe("normalize", () => {
  it("fits the layout into [-1, 1] keeping the aspect ratio", () => {
    const { x, y } = normalize(interleave([10, 30, 20], [5, 5, 10]));
    expect(Math.min(...x)).toBeCloseTo(-0.92);
    expect(Math.max(...x)).toBeCloseTo(0.92);
    // y spans 5 of x's 20: a quarter of the width, centred
    expect(Math.max(...y) - Math.min(...y)).toBeCloseTo(0.46);
    expect((Math.max(...y) + Math.min(...y)) / 2).toBeCloseTo(0);
  });

  it("fits a given box instead (linked views: the first view's), so the same place is the same pixel", () => {
    const first = normalize(interleave([0, 10], [0, 10]));
    const second = normalize(interleave([0, 5], [0, 5]), [0, 0, 10, 10]); // a smaller layout
    expect(second.x[0]).toBeCloseTo(first.x[0]);
    expect(second.x[1]).toBeCloseTo(0); // (5, 5) is the box's centre, not a corner
    expect(normalize(interleave([0, 5], [0, 5])).x[1]).toBeCloseTo(0.92); // its own box: a corner
  });

  it("keeps a single point (zero range) finite", () => {
    const { x, y } = normalize(interleave([3], [4]));
    expect([x[0], y[0]]).toEqual([0, 0]);
  });
});

describe("alignTo (Procrustes)", () => {
  const base = normalize(interleave([0, 1, 2, 0.5, -1, 0.3], [0, 0.2, 1, -1, 0.4, 2]));

  it("undoes a rotation", () => {
    const t = 1.1;
    const rotated = {
      x: base.x.map((x, i) => x * Math.cos(t) - base.y[i] * Math.sin(t)),
      y: base.x.map((x, i) => x * Math.sin(t) + base.y[i] * Math.cos(t) + 0.3),
    };
    expect(maxDistance(rotated, base)).toBeGreaterThan(0.5);
    expect(maxDistance(alignTo(base, rotated), base)).toBeLessThan(1e-5);
  });

  it("undoes a flip", () => {
    const flipped = { x: base.x.map((x) => -x), y: Float32Array.from(base.y) };
    expect(maxDistance(alignTo(base, flipped), base)).toBeLessThan(1e-5);
  });

  it("leaves layouts of different sizes alone", () => {
    const other = normalize(interleave([0, 1, 2, 3], [1, 0, 1, 0]));
    expect(alignTo(base, other)).toBe(other);
  });
});

describe("refit", () => {
  const base = normalize(interleave([0, 1, 2, 0.5, -1, 0.3], [0, 0.2, 1, -1, 0.4, 2]));

  it("brings a moved layout back into the square", () => {
    const moved = { x: base.x.map((x) => 3 * x + 5), y: base.y.map((y) => 3 * y) };
    expect(maxDistance(refit(moved), base)).toBeLessThan(1e-5);
  });
});

describe("point size and opacity", () => {
  it("shrink as the number of points grows, within bounds", () => {
    expect(pointSize(50)).toBeGreaterThan(pointSize(100_000));
    expect(pointSize(1_000_000)).toBeGreaterThanOrEqual(1.5);
    expect(pointSize(10)).toBeLessThanOrEqual(8);
    expect(pointOpacity(100)).toBe(0.9);
    expect(pointOpacity(1_000_000)).toBeLessThan(pointOpacity(10_000));
    expect(pointOpacity(1e9)).toBeGreaterThanOrEqual(0.25);
  });
});

describe("extended (rows placed into the layout on screen)", () => {
  const previous = Float32Array.of(0, 0, 10, 0, 0, 5, 10, 5);
  // drawn turned a quarter, halved and moved: any similarity
  const drawn = { x: Float32Array.of(1, 1, 0.5, 0.5), y: Float32Array.of(2, 7, 2, 7) };
  // (x, y) -> (1 - y / 10, 2 + x / 2)

  it("keeps the rows on screen where they are and draws the new ones by the same map", () => {
    const next = Float32Array.of(...previous, 5, 2.5, 20, -10);
    const out = extended(previous, drawn, next);
    expect(out).not.toBeNull();
    expect(Array.from(out?.x.subarray(0, 4) ?? [])).toEqual(Array.from(drawn.x));
    expect(Array.from(out?.y.subarray(0, 4) ?? [])).toEqual(Array.from(drawn.y));
    expect(out?.x[4]).toBeCloseTo(0.75, 5);
    expect(out?.y[4]).toBeCloseTo(4.5, 5);
    expect(out?.x[5]).toBeCloseTo(2, 5);
    expect(out?.y[5]).toBeCloseTo(12, 5);
  });

  it("is no help for another layout, one row changed or fewer rows", () => {
    const moved = Float32Array.of(0, 0, 10, 0, 0, 5, 10, 5.5, 1, 1);
    expect(extended(previous, drawn, moved)).toBeNull();
    expect(extended(previous, drawn, previous)).toBeNull();
    expect(extended(previous, drawn, previous.subarray(0, 6))).toBeNull();
  });
});
