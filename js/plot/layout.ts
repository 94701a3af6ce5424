// Pure geometry on layouts: fit into the scatter's [-1, 1] square, align a new layout to the one on
// screen, and size points for the number of rows.

export interface Points2D {
  x: Float32Array;
  y: Float32Array;
}

/** How much of the [-1, 1] square the layout fills (a margin keeps edge points whole). */
const FILL = 0.92;

/** Split interleaved x, y and fit them into [-FILL, FILL], keeping the aspect ratio; with `box`
 * ([min x, min y, max x, max y]: linked views share one), that box is what fits. */
export function normalize(coords: Float32Array, box?: readonly number[] | null): Points2D {
  return fitSquare(
    coords.length >> 1,
    (i) => coords[2 * i],
    (i) => coords[2 * i + 1],
    box?.length === 4 ? box : undefined,
  );
}

/** Fit split x, y into [-FILL, FILL], keeping the aspect ratio. */
export function refit(points: Points2D): Points2D {
  return fitSquare(
    points.x.length,
    (i) => points.x[i],
    (i) => points.y[i],
  );
}

function fitSquare(
  n: number,
  getX: (i: number) => number,
  getY: (i: number) => number,
  box?: readonly number[],
): Points2D {
  let [minX, minY, maxX, maxY] = box ?? [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (let i = 0; i < n && !box; i++) {
    const x = getX(i);
    const y = getY(i);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const centerX = n ? (minX + maxX) / 2 : 0;
  const centerY = n ? (minY + maxY) / 2 : 0;
  const range = Math.max(maxX - minX, maxY - minY);
  const scale = n && range > 0 ? (2 * FILL) / range : 1;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (getX(i) - centerX) * scale;
    y[i] = (getY(i) - centerY) * scale;
  }
  return { x, y };
}

function mean(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length ? sum / values.length : 0;
}

/**
 * Rotate (or reflect) and move `next` to best match `previous` (orthogonal Procrustes), so a
 * layout that is only turned or flipped does not send every point across the screen. Both hold the
 * same rows in the same order. For a 2x2 problem the optimum has a closed form: the best rotation
 * angle is atan2(c - b, a + d) and the best reflection's is atan2(b + c, a - d), where [[a, b], [c, d]]
 * is the cross-covariance of the centred layouts.
 */
export function alignTo(previous: Points2D, next: Points2D): Points2D {
  const n = next.x.length;
  if (previous.x.length !== n || n < 3) return next;
  const px = mean(previous.x);
  const py = mean(previous.y);
  const qx = mean(next.x);
  const qy = mean(next.y);
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const ux = next.x[i] - qx;
    const uy = next.y[i] - qy;
    const vx = previous.x[i] - px;
    const vy = previous.y[i] - py;
    a += ux * vx;
    b += ux * vy;
    c += uy * vx;
    d += uy * vy;
  }
  const rotationScore = Math.hypot(a + d, c - b);
  const reflectionScore = Math.hypot(a - d, b + c);
  let r00: number;
  let r01: number;
  let r10: number;
  let r11: number;
  if (rotationScore >= reflectionScore) {
    const t = Math.atan2(c - b, a + d);
    [r00, r01, r10, r11] = [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)];
  } else {
    const t = Math.atan2(b + c, a - d);
    [r00, r01, r10, r11] = [Math.cos(t), Math.sin(t), Math.sin(t), -Math.cos(t)];
  }
  // new point = (q - q̄) R + p̄: row vector times R, centred where the previous layout was.
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ux = next.x[i] - qx;
    const uy = next.y[i] - qy;
    x[i] = ux * r00 + uy * r10 + px;
    y[i] = ux * r01 + uy * r11 + py;
  }
  return { x, y };
}

/**
 * `next` (interleaved x, y) drawn the way `drawn` drew `previous`, when `next` only adds rows to
 * `previous` (rows placed into a layout): the rows already on screen stay exactly where they are.
 * Null when `next` is another layout. The map from `previous` to `drawn` is a similarity
 * (normalize, align, refit), recovered by least squares on a sample of rows.
 */
export function extended(previous: Float32Array, drawn: Points2D, next: Float32Array): Points2D | null {
  const n = previous.length >> 1;
  if (next.length <= previous.length || drawn.x.length !== n || n < 3) return null;
  for (let i = 0; i < previous.length; i++) if (next[i] !== previous[i]) return null;
  const step = Math.max(1, Math.floor(n / 2000));
  const sums = new Float64Array(9); // sums of [x, y, 1] outer products
  const tx = new Float64Array(3);
  const ty = new Float64Array(3);
  for (let i = 0; i < n; i += step) {
    const row = [previous[2 * i], previous[2 * i + 1], 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) sums[3 * r + c] += row[r] * row[c];
      tx[r] += row[r] * drawn.x[i];
      ty[r] += row[r] * drawn.y[i];
    }
  }
  const ax = solve3(sums, tx);
  const ay = solve3(sums, ty);
  if (!ax || !ay) return null;
  const m = next.length >> 1;
  const x = new Float32Array(m);
  const y = new Float32Array(m);
  x.set(drawn.x);
  y.set(drawn.y);
  for (let i = n; i < m; i++) {
    x[i] = ax[0] * next[2 * i] + ax[1] * next[2 * i + 1] + ax[2];
    y[i] = ay[0] * next[2 * i] + ay[1] * next[2 * i + 1] + ay[2];
  }
  return { x, y };
}

/** The solution of the 3 x 3 system `a` v = `b` (Cramer's rule), or null if singular. */
function solve3(a: Float64Array, b: Float64Array): number[] | null {
  const det = (m: ArrayLike<number>) =>
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6]);
  const d = det(a);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-12) return null;
  return [0, 1, 2].map((column) => {
    const m = Array.from(a);
    for (let r = 0; r < 3; r++) m[3 * r + column] = b[r];
    return det(m) / d;
  });
}

/** Point size in CSS pixels: big for a few points, one pixel for millions. */
export function pointSize(n: number): number {
  if (n <= 1) return 8;
  return Math.min(8, Math.max(1.5, 8 - 1.6 * Math.log10(n / 100)));
}

/** Point opacity: opaque for a few points, translucent for millions so density shows. */
export function pointOpacity(n: number): number {
  if (n <= 2000) return 0.9;
  return Math.max(0.25, 0.9 - 0.22 * Math.log10(n / 2000));
}
