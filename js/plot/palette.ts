// Colours: a categorical palette of distinguishable hues and a perceptual continuous colormap.

/** Tableau 10 followed by its lighter partners: 20 colours, the first ten the most distinct. */
export const CATEGORICAL: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
  "#a0cbe8",
  "#ffbe7d",
  "#ff9d9a",
  "#8cd17d",
  "#86bcb6",
  "#f1ce63",
  "#d4a6c8",
  "#fabfd2",
  "#d37295",
  "#79706e",
];

/** Colour of points when nothing colours them. */
export const DEFAULT_POINT = "#4e79a7";

/** Viridis at 9 stops; interpolated to as many colours as needed. */
const VIRIDIS_STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

export function categoricalColor(code: number): string {
  return CATEGORICAL[code % CATEGORICAL.length];
}

function hex(value: number): string {
  return Math.round(value).toString(16).padStart(2, "0");
}

/** The continuous colormap sampled at `count` evenly spaced points, as hex strings. */
export function viridis(count: number): string[] {
  const colors: string[] = [];
  const last = VIRIDIS_STOPS.length - 1;
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0 : (i / (count - 1)) * last;
    const lower = Math.min(Math.floor(t), last - 1);
    const f = t - lower;
    const [r0, g0, b0] = VIRIDIS_STOPS[lower];
    const [r1, g1, b1] = VIRIDIS_STOPS[lower + 1];
    colors.push(`#${hex(r0 + f * (r1 - r0))}${hex(g0 + f * (g1 - g0))}${hex(b0 + f * (b1 - b0))}`);
  }
  return colors;
}

/** Map values into [0, 1] for the colormap; non-finite values go to 0. */
export function scaleValues(values: Float32Array, min: number, max: number): Float32Array {
  const span = max > min ? max - min : 1;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? Math.min(1, Math.max(0, (v - min) / span)) : 0;
  }
  return out;
}
