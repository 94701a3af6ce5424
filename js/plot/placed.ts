// Rings around the rows placed into the layout without a refit (rows added to a shown table, from
// `status.info.placed`): a canvas over the points, drawn again whenever the camera moves.
import { clearedLayer } from "../dom";
import type { Points2D } from "./layout";

/** Ring radius and line width, in CSS pixels. */
const RADIUS = 5;
const LINE = 1.5;
/** At most this many rings a frame (the first placed rows on screen): each camera move draws them. */
export const MAX_RINGS = 20_000;

/** The first placed row of the finished layout `seq` says so (null: none placed). */
export function placedFrom(info: Record<string, unknown> | undefined): number | null {
  const placed = info?.placed as { fitted?: unknown } | undefined;
  return typeof placed?.fitted === "number" ? placed.fitted : null;
}

export class PlacedRings {
  readonly canvas = document.createElement("canvas");
  private points: Points2D | null = null;
  private hidden: Uint8Array | null = null;
  private from: number | null = null;

  constructor(
    private readonly transform: () => [number, number, number, number, number, number],
    private readonly color: () => string,
  ) {
    this.canvas.className = "ew-placed-layer";
  }

  /** Ring rows `from` on of `points` (null: none), except the hidden ones. */
  show(points: Points2D | null, from: number | null, hidden: Uint8Array | null): void {
    this.points = points;
    this.from = from;
    this.hidden = hidden;
    this.place();
  }

  /** Follow the camera (every view change). */
  place(): void {
    const layer = clearedLayer(this.canvas);
    if (!layer) return;
    const { context, width, height } = layer;
    const { points, from, hidden } = this;
    const n = points?.x.length ?? 0;
    this.canvas.dataset.rings = "0";
    if (!points || from === null || from >= n) return;
    const [a, b, c, d, e, f] = this.transform();
    context.strokeStyle = this.color();
    context.lineWidth = LINE;
    context.beginPath();
    let drawn = 0;
    for (let i = from; i < n && drawn < MAX_RINGS; i++) {
      if (hidden?.[i]) continue;
      const x = a * points.x[i] + c * points.y[i] + e;
      const y = b * points.x[i] + d * points.y[i] + f;
      if (x < -RADIUS || y < -RADIUS || x > width + RADIUS || y > height + RADIUS) continue;
      context.moveTo(x + RADIUS, y);
      context.arc(x, y, RADIUS, 0, 2 * Math.PI);
      drawn += 1;
    }
    context.stroke();
    this.canvas.dataset.rings = String(drawn); // (how many are on screen: for tests and readers)
  }
}
