import { describe, expect, it } from "vitest";
import { alignTo, normalize, pointOpacity, pointSize, refit } from "../plot/layout";

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
