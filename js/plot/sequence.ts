// Which points to draw for each layout the kernel sends, and whether to move there smoothly: rows
// placed into the layout on screen keep their place; a linked view's layout (turned by the kernel)
// is fitted into the box the views share; any other new layout is fitted in and turned to match
// the one it replaces. Streamed frames of one computation follow each other directly; a new
// result animates.

import { toFloat32 } from "../protocol/codecs";
import type { Layout } from "../protocol/model";
import { alignTo, extended, normalize, type Points2D, refit } from "./layout";

export interface NextLayout {
  points: Points2D;
  animate: boolean;
  seq: number;
  final: boolean;
}

export class LayoutSequence {
  /** The layout drawn last, as the kernel sent it. */
  private lastRaw: Float32Array | null = null;
  private lastSeq = -1;

  /** What to draw for `layout`, with `previous` on screen (`initial`: the view's first draw). */
  next(layout: Layout, previous: Points2D | null, initial: boolean): NextLayout | null {
    if (!layout?.coords) return null;
    const raw = toFloat32(layout.coords);
    let points = previous && this.lastRaw ? extended(this.lastRaw, previous, raw) : null;
    if (!points && previous && !layout.aligned) points = refit(alignTo(previous, normalize(raw)));
    points ??= normalize(raw, layout.frame);
    this.lastRaw = raw;
    const seq = layout.seq ?? 0;
    const animate = !initial && previous !== null && (layout.final === true || seq !== this.lastSeq);
    this.lastSeq = seq;
    return { points, animate, seq, final: layout.final === true };
  }
}
