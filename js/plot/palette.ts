// Colours arrive from the kernel (embed_widget/widget/encodings.py): a categorical palette, or a
// colormap's stops. Here they are only interpolated and applied.

function parseHex(color: string): [number, number, number] {
  const value = Number.parseInt(color.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function hex(value: number): string {
  return Math.round(value).toString(16).padStart(2, "0");
}

/** A colormap given by evenly spaced `stops` (hex), sampled at `count` points, as hex strings. */
export function interpolate(stops: readonly string[], count: number): string[] {
  const rgb = stops.map(parseHex);
  if (rgb.length === 0) return [];
  if (rgb.length === 1) return Array.from({ length: count }, () => stops[0]);
  const colors: string[] = [];
  const last = rgb.length - 1;
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0 : (i / (count - 1)) * last;
    const lower = Math.min(Math.floor(t), last - 1);
    const f = t - lower;
    const [r0, g0, b0] = rgb[lower];
    const [r1, g1, b1] = rgb[lower + 1];
    colors.push(`#${hex(r0 + f * (r1 - r0))}${hex(g0 + f * (g1 - g0))}${hex(b0 + f * (b1 - b0))}`);
  }
  return colors;
}

/** Positions on the colormap as the scatter draws them: non-finite (missing) go to 0. */
export function drawablePositions(positions: Float32Array): Float32Array {
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i++) {
    const v = positions[i];
    out[i] = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
  }
  return out;
}
