// What is drawn with the points, in the plot's own coordinates: density contours behind them,
// rings around rows placed without a refit, cluster labels and the rings of a clicked point over
// them. All follow the camera.

import { toUint16 } from "../protocol/codecs";
import type { ClusterState } from "../protocol/model";
import { DensityLayer } from "./density";
import { ClusterLabels, type ShownLabel } from "./labels";
import type { Points2D } from "./layout";
import { PlacedRings } from "./placed";
import { Rings } from "./rings";
import type { Scatter } from "./scatter";

/** The clusters the kernel sent, and which layout is drawn (its number, whether final). */
export interface DrawnClusters {
  state: Partial<ClusterState> | undefined;
  seq: number;
  final: boolean;
}

export class Overlays {
  readonly rings: Rings;
  private readonly labels: ClusterLabels;
  private readonly density: DensityLayer;
  private readonly placed: PlacedRings;
  private points: Points2D | null = null;
  private hidden: Uint8Array | null = null;
  private placedStart: number | null = null;

  constructor(plotBox: HTMLElement, scatter: Scatter, accent: () => string, ink: () => string) {
    this.rings = new Rings((index) => scatter.screenPosition(index));
    this.labels = new ClusterLabels((x, y) => scatter.toScreen(x, y));
    this.density = new DensityLayer(() => scatter.viewTransform(), accent);
    this.placed = new PlacedRings(() => scatter.viewTransform(), ink);
    plotBox.prepend(this.density.canvas); // behind the points
    plotBox.append(this.placed.canvas, this.labels.element, this.rings.element);
  }

  /** Follow the camera (every view change). */
  place(): void {
    this.rings.place();
    this.labels.place();
    this.density.place();
    this.placed.place();
  }

  /** The cluster labels on screen, for a figure. */
  labelsShown(): ShownLabel[] {
    return this.labels.drawn();
  }

  /** Ring the rows from `start` on of the layout drawn: placed, not fitted (null: none). */
  showPlaced(start: number | null): void {
    this.placedStart = start;
    this.placed.show(this.points, start, this.hidden);
  }

  /** A layout was drawn: its points, and its clusters (see `showClusters`). */
  drawn(points: Points2D, clusters: DrawnClusters): void {
    this.points = points;
    this.rings.place();
    this.showClusters(clusters); // (anchors the labels on the new points)
    this.density.update(points, this.hidden);
    this.placed.show(points, this.placedStart, this.hidden);
  }

  /** The rows hidden (filter, legend, subset) changed. */
  setHidden(hidden: Uint8Array | null): void {
    this.hidden = hidden;
    this.labels.anchor(this.points, hidden);
    this.density.update(this.points, hidden);
    this.placed.show(this.points, this.placedStart, hidden);
  }

  /** Label the clusters of the layout drawn (only if they were found for it). */
  showClusters({ state, seq, final }: DrawnClusters): void {
    const current = state?.codes && state.seq === seq && final;
    this.labels.show(
      current ? { codes: toUint16(state.codes), names: state.names ?? [], sizes: state.sizes ?? [] } : null,
    );
    this.labels.anchor(this.points, this.hidden);
  }

  /** Whether labels and density contours show. */
  setToggles(labels: boolean, density: boolean): void {
    this.labels.setVisible(labels);
    if (density !== this.density.visible) {
      this.density.setVisible(density);
      this.density.update(this.points, this.hidden);
    }
  }

  dispose(): void {
    this.density.dispose();
  }
}
