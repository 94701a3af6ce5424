// Pure geometry on layouts: fit into the scatter's [-1, 1] square, align a new layout to the one on
// screen, and size points for the number of rows.

export interface Points2D {
  x: Float32Array;
  y: Float32Array;
}

/** How much of the [-1, 1] square the layout fills (a margin keeps edge points whole). */
const FILL = 0.92;

/** Split interleaved x, y and fit them into [-FILL, FILL], keeping the aspect ratio. */
export function normalize(coords: Float32Array): Points2D {
  return fitSquare(
    coords.length >> 1,
    (i) => coords[2 * i],
    (i) => coords[2 * i + 1],
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

function fitSquare(n: number, getX: (i: number) => number, getY: (i: number) => number): Points2D {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
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
