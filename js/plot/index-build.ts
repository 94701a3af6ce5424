// Building regl-scatterplot's spatial index (a KDBush tree over the points), in its format.
import KDBush from "kdbush";

/** regl-scatterplot's node size (its queries do not depend on it; build time does). */
const NODE_SIZE = 16;

export function buildIndex(x: ArrayLike<number>, y: ArrayLike<number>): ArrayBuffer {
  const index = new KDBush(x.length, NODE_SIZE);
  for (let i = 0; i < x.length; i++) index.add(x[i], y[i]);
  index.finish();
  return index.data as ArrayBuffer;
}

/** An index of `n` points that matches none: NaN coordinates fail every range test. */
export function placeholderIndex(n: number): ArrayBuffer {
  const index = new KDBush(n, NODE_SIZE);
  index.coords.fill(Number.NaN); // (not finish()ed: sorting NaNs never ends; from() needs none)
  return index.data as ArrayBuffer;
}
