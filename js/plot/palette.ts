// Colours arrive from the kernel (embed_widget/widget/encodings.py): a categorical palette, or a
// colormap's stops. Here they are only interpolated and applied.
import { toFloat32, toUint8 } from "../protocol/codecs";
import type { Colors } from "../protocol/model";

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

/** What colours the points: nothing, a category code per point, or a value in [0, 1]. */
export type PointColors =
  | { kind: "none"; color: string }
  | { kind: "categorical"; codes: Uint8Array; palette: string[] }
  | { kind: "continuous"; values: Float32Array; palette: string[] };

/** What regl-scatterplot is given: the value column that colours, the colours, the values. */
export interface DrawnColors {
  colorBy: "valueA" | "valueB" | null;
  pointColor: string | string[];
  valueA?: Uint8Array;
  valueB?: Float32Array;
}

/** How far a dimmed point's colour goes towards the background. */
export const DIM = 0.82;

/** `color` mixed towards `background` by `amount` (0: itself, 1: the background). */
export function fade(color: string, background: string, amount = DIM): string {
  const [r, g, b] = parseHex(color);
  const [br, bg, bb] = parseHex(background);
  const mix = (c: number, to: number) => c + amount * (to - c);
  return `#${hex(mix(r, br))}${hex(mix(g, bg))}${hex(mix(b, bb))}`;
}

/**
 * The colours to draw, with the points whose `emphasis` entry is 0 dimmed (a search's misses, the
 * rows that are not a clicked point's neighbours); null emphasises none. Dimming doubles the
 * palette: the second half holds the faded colours, and a dimmed point's value points there.
 */
export function drawnColors(
  colors: PointColors,
  emphasis: Uint8Array | null,
  background: string,
  n: number,
): DrawnColors {
  const dim = emphasis !== null && emphasis.length === n;
  if (colors.kind === "none") {
    if (!dim || !emphasis) return { colorBy: null, pointColor: colors.color };
    const codes = new Uint8Array(emphasis.length);
    for (let i = 0; i < codes.length; i++) codes[i] = emphasis[i] ? 0 : 1;
    return { colorBy: "valueA", pointColor: [colors.color, fade(colors.color, background)], valueA: codes };
  }
  const faded = (palette: string[]) => [...palette, ...palette.map((c) => fade(c, background))];
  if (colors.kind === "categorical") {
    if (!dim || !emphasis) return { colorBy: "valueA", pointColor: colors.palette, valueA: colors.codes };
    const k = colors.palette.length;
    const codes = new Uint8Array(n);
    for (let i = 0; i < n; i++) codes[i] = colors.codes[i] + (emphasis[i] ? 0 : k);
    return { colorBy: "valueA", pointColor: faded(colors.palette), valueA: codes };
  }
  const valueA = new Uint8Array(n); // regl-scatterplot drops valueB unless valueA is given too
  if (!dim || !emphasis)
    return { colorBy: "valueB", pointColor: colors.palette, valueA, valueB: colors.values };
  // regl-scatterplot picks colour floor(value * (colours - 1)): aim at the middle of each bin
  const k = colors.palette.length;
  const last = 2 * k - 1;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const bin = Math.min(k - 1, Math.floor(colors.values[i] * (k - 1)));
    values[i] = Math.min(1, (bin + (emphasis[i] ? 0 : k) + 0.5) / last);
  }
  return { colorBy: "valueB", pointColor: faded(colors.palette), valueA, valueB: values };
}

/** The scatter's colours for the kernel's encoding, and each row's category code (null when the
 * colours are not categorical: then the legend hides nothing). */
export function pointColors(colors: Colors | undefined): { encoding: PointColors; codes: Uint8Array | null } {
  if (colors?.kind === "categorical") {
    const codes = toUint8(colors.codes);
    return { encoding: { kind: "categorical", codes, palette: colors.palette }, codes };
  }
  if (colors?.kind === "continuous") {
    const values = drawablePositions(toFloat32(colors.positions));
    return {
      encoding: { kind: "continuous", values, palette: interpolate(colors.colormap, 256) },
      codes: null,
    };
  }
  return { encoding: { kind: "none", color: colors?.color ?? "#4e79a7" }, codes: null };
}
