import { describe, expect, it } from "vitest";
import { densityGrid, LEVELS, levels, parseColor, shade } from "../plot/density";
import { anchors, fontSize, placeWithoutOverlap } from "../plot/labels";

const points = {
  x: Float32Array.of(0, 0.1, 0.2, 0.9, 0.8, -0.5),
  y: Float32Array.of(0, 0, 0, 0.9, 0.9, -0.5),
};
// rows 0-2: cluster 0, rows 3-4: cluster 1, row 5: noise
const clusters = { codes: Uint16Array.of(1, 1, 1, 2, 2, 0), names: ["a", "b"], sizes: [3, 2] };

describe("cluster labels", () => {
  it("anchor each cluster at its visible member nearest the members' mean", () => {
    expect(anchors(points, clusters, null)).toEqual([
      { cluster: 0, x: points.x[1], y: 0 },
      { cluster: 1, x: points.x[3], y: points.y[3] }, // a tie: the first row
    ]);
    const hidden = Uint8Array.of(0, 1, 0, 1, 1, 0); // row 1 and all of cluster 1 hidden
    const anchored = anchors(points, clusters, hidden);
    expect(anchored.map((a) => a.cluster)).toEqual([0]);
    expect(anchored[0].x).toBe(0); // mean 0.1: rows 0 and 2 are as near, row 0 first
  });

  it("hide a label that would overlap one placed before it, or leave the plot", () => {
    const box = (left: number, top: number) => ({ left, top, width: 40, height: 12 });
    expect(placeWithoutOverlap([box(10, 10), box(30, 15), box(60, 10), box(95, 50)], 120, 100)).toEqual([
      true,
      false, // overlaps the first
      true, // touches nothing: 50 < 60
      false, // 95 + 40 > 120
    ]);
  });

  it("size labels by their cluster's size", () => {
    expect(fontSize(100, 100)).toBe(17);
    expect(fontSize(25, 100)).toBe(14);
    expect(fontSize(0, 100)).toBe(11);
  });
});

describe("density", () => {
  it("bins visible points into the grid, row 0 at the top", () => {
    const grid = densityGrid({ x: Float32Array.of(-0.5, 0.5), y: Float32Array.of(0.5, -0.5) }, null);
    const size = Math.sqrt(grid.length);
    let total = 0;
    for (const v of grid) total += v;
    expect(total).toBeCloseTo(2, 3); // blurring keeps the mass (away from the edges)
    const at = (row: number, col: number) => grid[row * size + col];
    expect(at(64, 64)).toBeGreaterThan(0.005); // (-0.5, 0.5): a quarter in from the top-left
    expect(at(192, 192)).toBeCloseTo(at(64, 64), 6);
    expect(at(192, 64)).toBe(0); // bottom-left: nothing
    const hidden = densityGrid({ x: Float32Array.of(0), y: Float32Array.of(0) }, Uint8Array.of(1));
    expect(Math.max(...hidden)).toBe(0);
  });

  it("cuts the field into levels with iso-lines where they change", () => {
    const field = Float32Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0);
    const level = levels(field);
    expect(level[4]).toBe(LEVELS);
    expect(level[0]).toBe(0);
    const pixels = shade(level, 3, [10, 20, 30]);
    expect(Array.from(pixels.slice(16, 19))).toEqual([10, 20, 30]);
    expect(pixels[4 * 1 + 3]).toBeGreaterThan(0); // above the peak: an edge
    expect(pixels[4 * 8 + 3]).toBe(0); // bottom-right corner: empty and no edge
  });

  it("reads theme colours", () => {
    expect(parseColor("#1f77b4")).toEqual([31, 119, 180]);
    expect(parseColor("rgb(1, 2, 3)")).toEqual([1, 2, 3]);
  });
});
