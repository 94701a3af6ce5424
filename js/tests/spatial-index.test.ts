import KDBush from "kdbush";
import { describe, expect, it } from "vitest";
import { buildIndex, placeholderIndex } from "../plot/index-build";
import { SYNC_INDEX_MAX, spatialIndex } from "../plot/spatial-index";

function points(n: number, seed = 1): { x: Float32Array; y: Float32Array } {
  let s = seed;
  const next = () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 2 - 1;
  };
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = next();
    y[i] = next();
  }
  return { x, y };
}

function bruteRange(x: Float32Array, y: Float32Array, box: number[]): number[] {
  const [x0, y0, x1, y1] = box;
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1) out.push(i);
  return out;
}

describe("spatial index", () => {
  it("finds exactly the points in a box, read back as regl-scatterplot reads it", () => {
    const { x, y } = points(5000);
    const index = KDBush.from(buildIndex(x, y));
    for (const box of [
      [-0.5, -0.5, 0.5, 0.5],
      [0.9, -1, 1, -0.8],
      [-1, -1, 1, 1],
    ]) {
      expect(index.range(box[0], box[1], box[2], box[3]).sort((a, b) => a - b)).toEqual(
        bruteRange(x, y, box),
      );
    }
  });

  it("a placeholder has the real index's size and finds nothing", () => {
    const { x, y } = points(3000);
    const placeholder = placeholderIndex(x.length);
    expect(placeholder.byteLength).toBe(buildIndex(x, y).byteLength);
    const index = KDBush.from(placeholder);
    expect(index.range(-1, -1, 1, 1)).toEqual([]);
    expect(index.within(0, 0, 2)).toEqual([]);
  });

  it("a placeholder filled with the built index answers as the built index", () => {
    const { x, y } = points(3000, 7);
    const placeholder = placeholderIndex(x.length);
    const reader = KDBush.from(placeholder); // as regl-scatterplot holds it: views on the buffer
    new Uint8Array(placeholder).set(new Uint8Array(buildIndex(x, y)));
    expect(reader.range(-0.2, -0.2, 0.3, 0.1).sort((a, b) => a - b)).toEqual(
      bruteRange(x, y, [-0.2, -0.2, 0.3, 0.1]),
    );
  });

  it("small layouts get theirs at once; without a worker large ones are built too", async () => {
    const small = points(1000);
    const now = spatialIndex(small.x, small.y);
    expect(now.done).toBe(true);
    const large = points(SYNC_INDEX_MAX + 1, 3);
    const later = spatialIndex(large.x, large.y); // (no worker bundle under vitest)
    await later.ready;
    expect(later.done).toBe(true);
    expect(
      KDBush.from(later.data)
        .range(-0.01, -0.01, 0.01, 0.01)
        .sort((a, b) => a - b),
    ).toEqual(bruteRange(large.x, large.y, [-0.01, -0.01, 0.01, 0.01]));
  });
});
