// The WebGL scatter: a thin wrapper around regl-scatterplot. Layout geometry and colours are
// decided elsewhere; this module only draws them, in order, and reports hover and selection.
import createScatterplot, { createRenderer } from "regl-scatterplot";
import { type Points2D, pointOpacity, pointSize } from "./layout";
import { drawnColors, type PointColors } from "./palette";
import { type PendingIndex, spatialIndex, startIndexWorker } from "./spatial-index";

export type { PointColors };

type Plot = ReturnType<typeof createScatterplot>;
type Renderer = ReturnType<typeof createRenderer>;

export interface ScatterEvents {
  onHover: (index: number | null) => void;
  onSelect: (indices: number[]) => void;
  /** The camera moved (pan, zoom, reset). */
  onView?: () => void;
  /** Hover and lasso can find the drawn points (their spatial index is built). */
  onIndexed?: () => void;
}

// One WebGL context for every plot on the page: browsers cap live contexts at ~16. Its drawing
// buffer is as large as the largest plot, not the window (regl-scatterplot's default): every frame
// clears, shades and copies that whole buffer and rasterizes each point inside it, also the points
// a zoom moved off the plot. Sized to the plot, a zoom frame at 100k points took half the time.
interface Shared {
  renderer: Renderer;
  /** Each plot's size in CSS pixels. */
  sizes: Map<object, [number, number]>;
  fit: () => void;
}

let shared: Shared | null = null;

function fitRenderer(s: Shared): void {
  let width = 1;
  let height = 1;
  for (const [w, h] of s.sizes.values()) {
    width = Math.max(width, w);
    height = Math.max(height, h);
  }
  // The buffer gets floor(size * devicePixelRatio) pixels, as each plot's canvas does: one plot
  // then fills the buffer exactly and its frame is copied without resampling.
  const dpr = window.devicePixelRatio || 1;
  const canvas = s.renderer.canvas;
  if (canvas.width === Math.floor(width * dpr) && canvas.height === Math.floor(height * dpr)) return;
  s.renderer.resize(width, height); // takes CSS pixels
  s.renderer.refresh();
}

function acquireRenderer(user: object, width: number, height: number): Renderer {
  if (!shared || shared.renderer.isDestroyed) {
    // A canvas of our own: without one the renderer follows the window's size on every resize.
    const renderer = createRenderer({ canvas: document.createElement("canvas") });
    const s: Shared = { renderer, sizes: new Map(), fit: () => fitRenderer(s) };
    window.addEventListener("resize", s.fit); // a devicePixelRatio change (browser zoom)
    shared = s;
  }
  shared.sizes.set(user, [width, height]);
  fitRenderer(shared);
  return shared.renderer;
}

function resizeRenderer(user: object, width: number, height: number): void {
  if (!shared?.sizes.has(user)) return;
  shared.sizes.set(user, [width, height]);
  fitRenderer(shared);
}

function releaseRenderer(user: object): void {
  if (!shared?.sizes.delete(user)) return;
  if (shared.sizes.size === 0) {
    window.removeEventListener("resize", shared.fit);
    shared.renderer.destroy();
    shared = null;
  } else {
    fitRenderer(shared);
  }
}

export const BACKGROUND = "#ffffff";
/** The plot never zooms out past a quarter of the fitted view. */
export const MIN_SCALE = 0.25;
export const TRANSITION_MS = 700;
/** A press that moved further than this (CSS px) before its release is a drag, not a click. */
const DRAG_PX = 4;

interface DrawRequest {
  points: Points2D;
  animate: boolean;
  /** Called once this layout is on screen (not if a newer one replaced it before its turn). */
  onDrawn?: () => void;
}

export class Scatter {
  readonly canvas: HTMLCanvasElement;
  private plot: Plot;
  private points: Points2D | null = null;
  private colors: PointColors = { kind: "none", color: "#4e79a7" };
  private spatialIndex: PendingIndex | null = null;
  private drawing = false;
  private queued: DrawRequest | null = null;
  private hidden: Uint8Array | null = null;
  private emphasis: Uint8Array | null = null;
  private background = BACKGROUND;
  /** The colour settings last handed to regl-scatterplot (see draw). */
  private styleKey = "";
  /** The plot's size in CSS pixels. */
  private size: [number, number];

  /** The plot's width in CSS pixels. */
  get cssWidth(): number {
    return this.size[0];
  }
  private readonly onMove: (event: MouseEvent) => void;
  private readonly events: ScatterEvents;
  /** The last pointer position over the page (to hover again once the index lands). */
  private pointer: MouseEvent | null = null;

  constructor(container: HTMLElement, events: ScatterEvents) {
    this.canvas = document.createElement("canvas");
    container.appendChild(this.canvas);
    const box = container.getBoundingClientRect();
    const width = Math.max(1, box.width);
    const height = Math.max(1, box.height);
    this.size = [width, height];
    this.events = events;
    startIndexWorker();
    this.canvas.className = "ew-scatter";
    this.plot = createScatterplot({
      renderer: acquireRenderer(this, width, height),
      canvas: this.canvas,
      width,
      height,
      backgroundColor: BACKGROUND,
      pointColorHover: "#111111",
      pointColorActive: "#d62728",
      lassoColor: "#d62728",
      opacityInactiveMax: 0.25,
      deselectOnDblClick: false,
    });
    this.setLassoMode(false);
    const camera = this.plot.get("camera") as unknown as { setScaleBounds?: (b: number[][]) => void };
    camera.setScaleBounds?.([
      [MIN_SCALE, Number.POSITIVE_INFINITY],
      [MIN_SCALE, Number.POSITIVE_INFINITY],
    ]);
    // regl-scatterplot reads a press released within 2 px of where it began as a click, even after
    // a whole lasso drawn in between: a lasso closed at its start would then select the one point
    // under the cursor instead. A press that travelled is a drag, never a click.
    let pressed: [number, number] | null = null;
    let travelled = 0;
    this.canvas.addEventListener("mousedown", (event) => {
      pressed = [event.clientX, event.clientY];
      travelled = 0;
    });
    this.onMove = (event: MouseEvent) => {
      this.pointer = event;
      if (pressed)
        travelled = Math.max(travelled, Math.hypot(event.clientX - pressed[0], event.clientY - pressed[1]));
    };
    window.addEventListener("mousemove", this.onMove);
    container.addEventListener(
      "click",
      (event) => {
        if (event.target === this.canvas && travelled > DRAG_PX) event.stopPropagation();
        pressed = null;
      },
      true,
    );
    this.plot.subscribe("pointOver", (index) => events.onHover(index));
    this.plot.subscribe("pointOut", () => events.onHover(null));
    this.plot.subscribe("select", ({ points }) => events.onSelect(points));
    this.plot.subscribe("deselect", () => events.onSelect([]));
    this.plot.subscribe("view", () => events.onView?.());
  }

  /** The layout on screen (or about to be), in the plot's [-1, 1] space. */
  get current(): Points2D | null {
    return this.queued?.points ?? this.points;
  }

  /** Whether hover and lasso can find the drawn points (their spatial index is built). */
  get indexed(): boolean {
    return this.spatialIndex?.done ?? false;
  }

  /** Draw a layout; `animate` moves points from where they are (same rows, same order). */
  setLayout(points: Points2D, animate: boolean, onDrawn?: () => void): Promise<void> {
    this.queued = { points, animate, onDrawn };
    return this.flush();
  }

  setColors(colors: PointColors): Promise<void> {
    this.colors = colors;
    return this.redraw();
  }

  /** Dim the points whose entry is 0 (1: drawn as usual); null dims none. */
  setEmphasis(mask: Uint8Array | null): Promise<void> {
    if (mask === null && this.emphasis === null) return Promise.resolve();
    this.emphasis = mask;
    return this.redraw();
  }

  /** Draw the current layout again (new colours or emphasis; x and y stay). */
  private redraw(): Promise<void> {
    if (!this.points) return Promise.resolve();
    this.queued ??= { points: this.points, animate: false };
    return this.flush();
  }

  /** Hide points whose mask entry is 1 (legend toggles); null shows all. */
  setHidden(mask: Uint8Array | null): void {
    this.hidden = mask;
    this.applyFilter();
  }

  select(indices: ArrayLike<number>): void {
    const list = Array.from(indices);
    if (list.length) this.plot.select(list, { preventEvent: true });
    else this.plot.deselect({ preventEvent: true });
  }

  /** Lasso mode: plain drag selects and shift-drag adds. Pan mode: shift-drag selects. */
  setLassoMode(on: boolean): void {
    const actionKeyMap = on
      ? { merge: "shift", remove: "alt" }
      : { lasso: "shift", merge: "meta", remove: "alt" };
    void this.plot.set({ mouseMode: on ? "lasso" : "panZoom", actionKeyMap } as Record<string, unknown>);
  }

  resetView(): void {
    void this.plot.reset();
  }

  /** Zoom so that these points fill the view (with a margin). */
  zoomTo(indices: number[]): void {
    if (indices.length === 0 || !this.points) return;
    this.plot.zoomToPoints(indices, { padding: 0.25, transition: true }).catch(() => {});
  }

  /** The camera's view matrix (to move linked views' cameras with it). */
  cameraView(): ArrayLike<number> {
    return this.plot.get("cameraView") as unknown as ArrayLike<number>;
  }

  /** Move the camera to `view` (no view event: a linked view follows, it does not lead). */
  setCameraView(view: ArrayLike<number>): void {
    this.plot.view(Array.from(view), { preventEvent: true });
  }

  screenPosition(index: number): [number, number] | undefined {
    return this.plot.getScreenPosition(index);
  }

  /**
   * The map from plot space to the plot's CSS pixels, [a, b, c, d, e, f] as canvas' setTransform
   * takes it (x' = a x + c y + e, y' = b x + d y + f): regl-scatterplot's own projection (camera
   * view, then the aspect ratio, then clip space to pixels), as its getScreenPosition applies it.
   */
  viewTransform(): [number, number, number, number, number, number] {
    const view = this.plot.get("cameraView") as unknown as ArrayLike<number>;
    const [width, height] = this.size;
    const aspect = width / height;
    const sx = width / 2 / aspect;
    const sy = -height / 2;
    return [
      sx * view[0],
      sy * view[1],
      sx * view[4],
      sy * view[5],
      sx * view[12] + width / 2,
      sy * view[13] + height / 2,
    ];
  }

  /** A plot-space position in the plot's CSS pixels. */
  toScreen(x: number, y: number): [number, number] {
    const [a, b, c, d, e, f] = this.viewTransform();
    return [a * x + c * y + e, b * x + d * y + f];
  }

  resize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    this.size = [width, height];
    resizeRenderer(this, width, height); // first, so the next frame is not cut to the old size
    void this.plot.set({ width, height });
  }

  /** The colour behind the points (the notebook theme's background). */
  setBackground(color: string): void {
    void this.plot.set({ backgroundColor: color } as Record<string, unknown>);
    const changed = color !== this.background;
    this.background = color;
    if (changed && this.emphasis) void this.redraw(); // dimmed colours fade towards it
  }

  toDataURL(): string {
    return this.canvas.toDataURL("image/png");
  }

  /** The frame on screen (no redraw), at the screen's pixel ratio. */
  frameImage(): ImageData {
    return this.plot.export(undefined);
  }

  /** The plot drawn again at `scale` times its size (points scaled too). */
  exportImage(scale: number): Promise<ImageData> {
    return this.plot.export({ scale, antiAliasing: 1 }) as Promise<ImageData>;
  }

  destroy(): void {
    window.removeEventListener("mousemove", this.onMove);
    this.plot.destroy();
    releaseRenderer(this);
  }

  // Draws run one at a time; while one runs, only the newest request waits (stale frames drop).
  private async flush(): Promise<void> {
    if (this.drawing) return;
    this.drawing = true;
    try {
      while (this.queued) {
        const request = this.queued;
        this.queued = null;
        await this.draw(request);
      }
    } finally {
      this.drawing = false;
    }
  }

  private async draw({ points, animate, onDrawn }: DrawRequest): Promise<void> {
    const n = points.x.length;
    const sameGeometry = this.points === points;
    const canAnimate = animate && this.points !== null && this.points.x.length === n;
    const { colorBy, pointColor, valueA, valueB } = drawnColors(
      this.colors,
      this.emphasis,
      this.background,
      n,
    );
    // set() applies these at once, then redraws on the next animation frame: not awaited, so the
    // points are handed over in this task; skipped when nothing changed (its redraw would draw
    // the new layout a second time)
    const style = { colorBy, pointColor, pointSize: pointSize(n), opacity: pointOpacity(n) };
    const styleKey = JSON.stringify(style);
    if (styleKey !== this.styleKey) {
      this.styleKey = styleKey;
      this.plot.set(style).catch(() => {}); // (rejects only once the plot is destroyed)
    }
    const data = { x: points.x, y: points.y, ...(valueA && { valueA }), ...(valueB && { valueB }) };
    // Recolouring keeps x and y, and so the index; a new layout gets its own (see spatial-index.ts)
    const index = sameGeometry && this.spatialIndex ? this.spatialIndex : spatialIndex(points.x, points.y);
    await this.plot.draw(data, {
      transition: canAnimate,
      transitionDuration: TRANSITION_MS,
      preventFilterReset: true,
      zDataType: "categorical",
      wDataType: "continuous",
      spatialIndex: index.data,
    });
    this.points = points;
    this.spatialIndex = index;
    if (!index.done) void index.ready.then(() => this.indexLanded(index));
    this.applyFilter();
    onDrawn?.();
  }

  private indexLanded(index: PendingIndex): void {
    if (index !== this.spatialIndex || this.plot.get("isDestroyed")) return;
    this.events.onIndexed?.();
    // regl-scatterplot looks for a hovered point when the mouse moves: a pointer resting on the
    // plot while the index was built would find nothing until it moved again
    const last = this.pointer;
    const box = this.canvas.getBoundingClientRect();
    const inside =
      last &&
      last.clientX >= box.left &&
      last.clientX < box.right &&
      last.clientY >= box.top &&
      last.clientY < box.bottom;
    if (inside) window.dispatchEvent(new MouseEvent("mousemove", last));
  }

  private applyFilter(): void {
    if (!this.points) return;
    const mask = this.hidden;
    if (!mask || mask.length !== this.points.x.length) {
      void this.plot.unfilter({ preventEvent: true });
      return;
    }
    const visible: number[] = [];
    for (let i = 0; i < mask.length; i++) if (!mask[i]) visible.push(i);
    void this.plot.filter(visible, { preventEvent: true });
  }
}
