// Density contours under the points: the visible points binned on a grid over the plot's [-1, 1]
// square, smoothed (three box blurs approximate a Gaussian), cut into a few levels, each level a
// translucent band with a darker iso-line at its edge. Computed in the browser from the points it
// draws, so the filter and the legend apply at once, without a round trip: binning 1M points is
// one pass. Drawn on a canvas of its own behind the WebGL one, moved with the camera.
import { clearedLayer } from "../dom";
import type { Points2D } from "./layout";

/** Cells per side of the density grid. */
export const GRID = 256;
/** Blur radius, in cells (three passes: a Gaussian of sigma ~ 4 cells, 1.6% of the width). */
const RADIUS = 4;
/** Density levels drawn (iso-lines between them). */
export const LEVELS = 6;

/** A rectangle of plot space: [left, bottom, right, top]. */
export type Extent = [number, number, number, number];

/** The whole plot: [-1, 1] x [-1, 1]. */
export const WHOLE: Extent = [-1, -1, 1, 1];

/** Visible points per cell over `extent`, row 0 at its top, then smoothed. */
export function densityGrid(
  points: Points2D,
  hidden: Uint8Array | null,
  extent: Extent = WHOLE,
  grid = GRID,
): Float32Array {
  const cells = new Float32Array(grid * grid);
  const n = points.x.length;
  const useMask = hidden !== null && hidden.length === n;
  const [left, bottom, right, top] = extent;
  const sx = grid / (right - left);
  const sy = grid / (top - bottom);
  for (let i = 0; i < n; i++) {
    if (useMask && hidden[i]) continue;
    const col = Math.floor((points.x[i] - left) * sx);
    const row = Math.floor((top - points.y[i]) * sy);
    if (col >= 0 && col < grid && row >= 0 && row < grid) cells[row * grid + col] += 1;
  }
  const scratch = new Float32Array(grid * grid);
  for (let pass = 0; pass < 3; pass++) {
    boxBlur(cells, scratch, grid, 1, grid); // along rows
    boxBlur(scratch, cells, grid, grid, 1); // along columns
  }
  return cells;
}

/** One box blur of every line of `from` into `to`: `step` between cells of a line, `stride`
 * between lines. */
function boxBlur(from: Float32Array, to: Float32Array, grid: number, step: number, stride: number): void {
  const width = 2 * RADIUS + 1;
  for (let line = 0; line < grid; line++) {
    const base = line * stride;
    let sum = 0;
    for (let k = 0; k <= RADIUS && k < grid; k++) sum += from[base + k * step];
    for (let k = 0; k < grid; k++) {
      to[base + k * step] = sum / width;
      const enter = k + RADIUS + 1;
      const leave = k - RADIUS;
      if (enter < grid) sum += from[base + enter * step];
      if (leave >= 0) sum -= from[base + leave * step];
    }
  }
}

/** Each cell's level, 0 (empty) to LEVELS; levels split the range up to the densest cell evenly
 * on a square-root scale (so sparse regions still get an outline). */
export function levels(grid: Float32Array): Uint8Array {
  let max = 0;
  for (const v of grid) if (v > max) max = v;
  const out = new Uint8Array(grid.length);
  if (max <= 0) return out;
  for (let i = 0; i < grid.length; i++) {
    const share = Math.sqrt(grid[i] / max);
    out[i] = Math.min(LEVELS, Math.floor(share * (LEVELS + 1)));
  }
  return out;
}

/** RGBA pixels of the banded field: band k at alpha ~k/LEVELS, an iso-line where levels change. */
export function shade(
  level: Uint8Array,
  grid: number,
  rgb: [number, number, number],
): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(grid * grid * 4);
  for (let row = 0; row < grid; row++) {
    for (let col = 0; col < grid; col++) {
      const i = row * grid + col;
      const here = level[i];
      const right = col + 1 < grid ? level[i + 1] : here;
      const below = row + 1 < grid ? level[i + grid] : here;
      const edge = here !== right || here !== below;
      const alpha = edge ? 0.55 : here * (0.28 / LEVELS);
      if (!edge && here === 0) continue;
      pixels.set([rgb[0], rgb[1], rgb[2], Math.round(255 * alpha)], 4 * i);
    }
  }
  return pixels;
}

/** The density layer: a canvas behind the points. The field covers the part of the plot in view
 * (the whole plot at first); once the camera rests, it is computed again for the new view, so
 * contours stay sharp at any zoom. */
export class DensityLayer {
  readonly canvas = document.createElement("canvas");
  private readonly field = document.createElement("canvas");
  private on = false;
  private points: Points2D | null = null;
  private hidden: Uint8Array | null = null;
  private extent: Extent | null = null; // of the field drawn (null: none)
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly transform: () => [number, number, number, number, number, number],
    private readonly color: () => string,
  ) {
    this.canvas.className = "ew-density-layer";
    this.canvas.hidden = true;
    this.field.width = GRID;
    this.field.height = GRID;
  }

  setVisible(on: boolean): void {
    this.on = on;
    this.canvas.hidden = !on;
    this.compute();
  }

  get visible(): boolean {
    return this.on;
  }

  /** The points drawn and the rows hidden changed. */
  update(points: Points2D | null, hidden: Uint8Array | null): void {
    this.points = points;
    this.hidden = hidden;
    this.compute();
  }

  /** Follow the camera (call on every view change); the field is computed again once it rests. */
  place(): void {
    if (!this.on) return;
    this.draw();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.compute(), 150);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private compute(): void {
    clearTimeout(this.timer);
    if (!this.on || !this.points) {
      this.extent = null;
      this.draw();
      return;
    }
    const extent = this.inView();
    const grid = levels(densityGrid(this.points, this.hidden, extent));
    const pixels = shade(grid, GRID, parseColor(this.color()));
    this.field.getContext("2d")?.putImageData(new ImageData(pixels, GRID, GRID), 0, 0);
    this.extent = extent;
    this.canvas.dataset.extent = extent.map((v) => v.toFixed(3)).join(",");
    this.draw();
  }

  /** The plot-space rectangle on screen (within the whole plot). */
  private inView(): Extent {
    const [a, b, c, d, e, f] = this.transform();
    const { width, height } = this.canvas.getBoundingClientRect();
    const det = a * d - b * c;
    if (!det || !width || !height) return WHOLE;
    const toPlot = (px: number, py: number) => [
      (d * (px - e) - c * (py - f)) / det,
      (a * (py - f) - b * (px - e)) / det,
    ];
    const [x0, y0] = toPlot(0, height);
    const [x1, y1] = toPlot(width, 0);
    // a margin of three blur radii: points just off screen still shape the contours at its edge
    const padX = ((x1 - x0) * 3 * RADIUS) / GRID;
    const padY = ((y1 - y0) * 3 * RADIUS) / GRID;
    const extent: Extent = [
      Math.max(-1, x0 - padX),
      Math.max(-1, y0 - padY),
      Math.min(1, x1 + padX),
      Math.min(1, y1 + padY),
    ];
    return extent[2] > extent[0] && extent[3] > extent[1] ? extent : WHOLE;
  }

  private draw(): void {
    const layer = clearedLayer(this.canvas);
    if (!layer || !this.on || !this.extent) return;
    const { context, dpr } = layer;
    // plot space -> CSS pixels (the camera) -> device pixels; then the grid onto its extent, its
    // row 0 at the top
    const [a, b, c, d, e, f] = this.transform();
    const [left, bottom, right, top] = this.extent;
    context.setTransform(a * dpr, b * dpr, c * dpr, d * dpr, e * dpr, f * dpr);
    context.transform((right - left) / GRID, 0, 0, -(top - bottom) / GRID, left, top);
    context.imageSmoothingEnabled = true;
    context.drawImage(this.field, 0, 0);
  }
}

/** "#rrggbb" or "rgb(r, g, b)" as numbers (anything else: a neutral blue). */
export function parseColor(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const v = Number.parseInt(hex[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const rgb = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i.exec(color);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [31, 119, 180];
}
