// Cluster labels over the plot: one per cluster, at its most central visible point, sized by the
// cluster's size. Labels never overlap: the larger cluster's label wins, the smaller is hidden, so
// zooming in (which spreads the clusters apart) brings more of them back. Names come from Python
// and are set as text, never as HTML.
import type { Points2D } from "./layout";

export interface ClusterSet {
  /** Per row: 0 = noise, k + 1 = cluster k. */
  codes: Uint16Array;
  names: string[];
  sizes: number[];
}

export interface Anchor {
  cluster: number;
  x: number;
  y: number;
}

/**
 * Where each cluster's label sits, in plot space: the visible member nearest to the mean of the
 * cluster's visible members (a point of the cluster even when it is a crescent). Clusters with
 * no visible member (filtered out, hidden in the legend) get no anchor.
 */
export function anchors(points: Points2D, clusters: ClusterSet, hidden: Uint8Array | null): Anchor[] {
  const count = clusters.names.length;
  const n = Math.min(points.x.length, clusters.codes.length);
  const sumX = new Float64Array(count);
  const sumY = new Float64Array(count);
  const members = new Uint32Array(count);
  const shown = (i: number) => !(hidden && hidden.length === n && hidden[i]);
  for (let i = 0; i < n; i++) {
    const c = clusters.codes[i] - 1;
    if (c < 0 || c >= count || !shown(i)) continue;
    sumX[c] += points.x[i];
    sumY[c] += points.y[i];
    members[c] += 1;
  }
  const best = new Int32Array(count).fill(-1);
  const bestDistance = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    const c = clusters.codes[i] - 1;
    if (c < 0 || c >= count || !shown(i)) continue;
    const dx = points.x[i] - sumX[c] / members[c];
    const dy = points.y[i] - sumY[c] / members[c];
    const distance = dx * dx + dy * dy;
    if (distance < bestDistance[c]) {
      bestDistance[c] = distance;
      best[c] = i;
    }
  }
  const out: Anchor[] = [];
  for (let c = 0; c < count; c++) {
    if (best[c] >= 0) out.push({ cluster: c, x: points.x[best[c]], y: points.y[best[c]] });
  }
  return out;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Which boxes to show, in the order given (most important first): each one that overlaps no box
 * already shown, and lies inside the plot (`width` x `height`). */
export function placeWithoutOverlap(boxes: Box[], width: number, height: number): boolean[] {
  const placed: Box[] = [];
  return boxes.map((box) => {
    const inside =
      box.left >= 0 && box.top >= 0 && box.left + box.width <= width && box.top + box.height <= height;
    if (!inside || placed.some((other) => overlaps(box, other))) return false;
    placed.push(box);
    return true;
  });
}

function overlaps(a: Box, b: Box): boolean {
  return (
    a.left < b.left + b.width &&
    b.left < a.left + a.width &&
    a.top < b.top + b.height &&
    b.top < a.top + a.height
  );
}

/** Font size (CSS px) of a cluster's label: 11 for the smallest, up to 17 for the largest. */
export function fontSize(size: number, largest: number): number {
  return Math.round(11 + 6 * Math.sqrt(largest > 0 ? size / largest : 0));
}

/** A label as shown: its text, centre (CSS pixels of the plot) and font size. */
export interface ShownLabel {
  text: string;
  x: number;
  y: number;
  size: number;
}

/** The label layer: DOM text over the plot, re-placed whenever the camera moves. */
export class ClusterLabels {
  readonly element = document.createElement("div");
  private shownLabels: ShownLabel[] = [];
  private clusters: ClusterSet | null = null;
  private anchored: Anchor[] = [];
  private nodes = new Map<number, HTMLDivElement>();
  private widths = new Map<number, number>();
  private on = true;
  private measure: CanvasRenderingContext2D | null = null;

  constructor(private readonly toScreen: (x: number, y: number) => [number, number]) {
    this.element.className = "ew-cluster-labels";
    this.element.setAttribute("aria-label", "cluster labels");
  }

  /** The clusters to label (null: none). */
  show(clusters: ClusterSet | null): void {
    this.clusters = clusters;
    this.anchored = [];
    this.nodes.clear();
    this.widths.clear();
    this.element.replaceChildren();
    this.element.dataset.count = "0";
  }

  setVisible(on: boolean): void {
    this.on = on;
    this.element.hidden = !on;
    this.place();
  }

  /** Anchor the labels on the points drawn (call when the layout or the hidden rows change). */
  anchor(points: Points2D | null, hidden: Uint8Array | null): void {
    this.anchored = points && this.clusters ? anchors(points, this.clusters, hidden) : [];
    const largest = Math.max(0, ...(this.clusters?.sizes ?? []));
    const sizes = this.clusters?.sizes ?? [];
    // Larger clusters first: they win a collision.
    this.anchored.sort((a, b) => sizes[b.cluster] - sizes[a.cluster] || a.cluster - b.cluster);
    for (const { cluster } of this.anchored) {
      if (this.nodes.has(cluster) || !this.clusters) continue;
      const node = document.createElement("div");
      node.className = "ew-label";
      node.textContent = this.clusters.names[cluster] ?? "";
      node.dataset.cluster = String(cluster);
      node.style.fontSize = `${fontSize(sizes[cluster], largest)}px`;
      this.nodes.set(cluster, node);
    }
    this.place();
  }

  /** The labels on screen now, for a figure (centres in CSS pixels of the plot). */
  drawn(): ShownLabel[] {
    return this.on && this.clusters ? [...this.shownLabels] : [];
  }

  /** Follow the camera (call on every view change). */
  place(): void {
    if (!this.on || !this.clusters) return;
    const { width, height } = this.element.getBoundingClientRect();
    const boxes = this.anchored.map(({ cluster, x, y }) => {
      const [sx, sy] = this.toScreen(x, y);
      const node = this.nodes.get(cluster);
      const px = Number.parseFloat(node?.style.fontSize ?? "11");
      const w = this.textWidth(cluster, px);
      const h = px * 1.25;
      return { left: sx - w / 2, top: sy - h / 2, width: w, height: h };
    });
    const shown = placeWithoutOverlap(boxes, width, height);
    const visible: HTMLDivElement[] = [];
    this.shownLabels = [];
    for (const [i, { cluster }] of this.anchored.entries()) {
      const node = this.nodes.get(cluster);
      if (!node || !shown[i]) continue;
      node.style.transform = `translate(${boxes[i].left}px, ${boxes[i].top}px)`;
      visible.push(node);
      const { left, top, width: w, height: h } = boxes[i];
      const size = Number.parseFloat(node.style.fontSize || "11");
      this.shownLabels.push({ text: node.textContent ?? "", x: left + w / 2, y: top + h / 2, size });
    }
    this.element.replaceChildren(...visible);
    this.element.dataset.count = String(visible.length);
  }

  private textWidth(cluster: number, px: number): number {
    const known = this.widths.get(cluster);
    if (known !== undefined) return known;
    this.measure ??= document.createElement("canvas").getContext("2d");
    const text = this.nodes.get(cluster)?.textContent ?? "";
    let width = text.length * px * 0.6;
    if (this.measure) {
      this.measure.font = `600 ${px}px ${getComputedStyle(this.element).fontFamily || "sans-serif"}`;
      width = this.measure.measureText(text).width;
    }
    width += 8; // padding and the halo
    this.widths.set(cluster, width);
    return width;
  }
}
