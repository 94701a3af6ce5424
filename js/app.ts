// The widget's view: builds the parts and wires them to the model. Every listener registered here
// is removed by dispose().

import { type ActionBar, actionBar } from "./controls/actions";
import { ExploreBar } from "./controls/explore";
import { StepsBar } from "./controls/steps";
import { Toolbar } from "./controls/toolbar";
import { download, el } from "./dom";
import { DetailsPanel } from "./panels/details";
import { hiddenMask, Legend } from "./panels/legend";
import { clearNotice, showNotice } from "./panels/notices";
import { SelectionList } from "./panels/selection";
import { StatusBar } from "./panels/status";
import { Tooltip } from "./panels/tooltip";
import { EXPORT_SCALE } from "./plot/export";
import { type Drawn, figure, picture } from "./plot/figure";
import { Link } from "./plot/linked";
import { emphasisMask, hiddenUnion } from "./plot/masks";
import { type DrawnClusters, Overlays } from "./plot/overlays";
import { pointColors } from "./plot/palette";
import { PictureSender } from "./plot/picture";
import { placedFrom } from "./plot/placed";
import { Scatter } from "./plot/scatter";
import { LayoutSequence } from "./plot/sequence";
import { themeBackground, watchTheme } from "./plot/theme";
import { WheelGate } from "./plot/wheel";
import { fromUint32, toUint8, toUint32 } from "./protocol/codecs";
import {
  isCsvReply,
  isDetailsReply,
  isFileReply,
  isLiveReply,
  isRowReply,
  isRowsReply,
  type ToKernel,
} from "./protocol/messages";
import type { Colors, Layout, Model, Traits } from "./protocol/model";

export const PLOT_HEIGHT = 460;
/** A kernel answers a rendered view within this; a saved notebook's view never. */
const SAVED_NOTICE_MS = 5000;

export class App {
  readonly root = el("div", "embed-widget");
  private readonly toolbar: Toolbar;
  private readonly plotBox = el("div", "ew-canvas");
  private readonly statusBar = new StatusBar(() => this.send({ type: "refit" }));
  private readonly legend: Legend;
  private readonly tooltip: Tooltip;
  private readonly selectionList = new SelectionList();
  private readonly scatter: Scatter;
  private readonly details = new DetailsPanel(
    (index, metric) =>
      this.send({ type: "details", index, metric: metric ?? this.model.get("neighbor_metric") ?? undefined }),
    (focus) => this.focusOn(focus),
    (metric) => this.set("neighbor_metric", metric),
  );
  private readonly explore: ExploreBar;
  private readonly overlays: Overlays;
  private readonly actionsBar: ActionBar;
  private readonly link: Link;
  private readonly stepsBar = new StepsBar({ go: (index) => this.set("step", index) });
  /** Rows hidden now (filter, legend, outside a subset), or null. */
  private hidden: Uint8Array | null = null;
  private focus: { index: number; neighbors: number[] } | null = null;
  private legendHidden: ReadonlySet<number> = new Set();
  /** Rows of the emphasis mask drawn (-1: none), to apply it again when the row count changes. */
  private emphasised = -1;
  private codes: Uint8Array | null = null;
  private readonly layouts = new LayoutSequence();
  private layoutsDrawn = 0;
  /** Until the kernel answers the output event (see savedPicture). */
  private unanswered: ReturnType<typeof setTimeout> | undefined;
  private cleanups: (() => void)[] = [];
  private readonly wheel: WheelGate;
  /** What a figure of the plot is drawn from. */
  private readonly drawn: Drawn;
  private readonly pictures = new PictureSender(
    this.root,
    () => picture(this.drawn),
    (seq, png) => this.send({ type: "picture", seq }, [png]),
    () => Boolean(this.model.get("_link")?.group),
  );

  constructor(private readonly model: Model) {
    this.toolbar = new Toolbar(
      model,
      (name, value) => this.set(name, value),
      (listed) => this.selectionList.setPicker(listed),
    );
    this.legend = new Legend((hidden) => {
      this.legendHidden = hidden;
      this.showHidden();
    });
    this.explore = new ExploreBar({
      search: (text) => this.set("search", text),
      searchColumn: (column) => this.set("search_column", column),
      filter: (expression) => this.set("filter", expression),
      selectMatches: () => this.selectMatches(),
    });
    this.tooltip = new Tooltip((index) => this.send({ type: "row", index }));
    this.actionsBar = this.actions();
    const main = el("div", "ew-main");
    this.plotBox.style.height = `${PLOT_HEIGHT}px`;
    main.append(this.plotBox, this.legend.element);
    this.root.append(
      this.toolbar.bar,
      this.toolbar.paramsBox,
      this.explore.element,
      this.statusBar.element,
      this.stepsBar.element,
      main,
      this.actionsBar.element,
      this.selectionList.element,
    );
    this.scatter = new Scatter(this.plotBox, {
      onHover: (index) => this.hover(index),
      onSelect: (indices) => this.select(indices),
      onIndexed: () => {
        this.root.dataset.indexed = "true";
      },
      onView: () => {
        this.overlays.place();
        this.link.place();
        this.link.moved();
        this.pictures.postpone();
      },
    });
    const accent = () => getComputedStyle(this.root).getPropertyValue("--ew-accent").trim() || "#1f77b4";
    const ink = () => getComputedStyle(this.root).getPropertyValue("--ew-fg").trim() || "#1f2933";
    this.overlays = new Overlays(this.plotBox, this.scatter, accent, ink);
    this.drawn = {
      scatter: this.scatter,
      overlays: this.overlays,
      root: this.root,
      status: () => this.model.get("status") ?? {},
      colors: () => this.model.get("_colors"),
    };
    this.link = new Link({
      position: (row) =>
        row < (this.scatter.current?.x.length ?? 0) ? this.scatter.screenPosition(row) : undefined,
      hidden: (row) => this.hidden?.[row] === 1,
      camera: () => this.scatter.cameraView(),
      setCamera: (view) => {
        this.scatter.setCameraView(view);
        this.overlays.place();
        this.link.place();
      },
    });
    this.plotBox.append(this.link.element, this.tooltip.element, this.details.element);
    this.wheel = new WheelGate(this.plotBox);
  }

  /** Wire the model to the parts and draw the current state; call once. */
  start(): void {
    // The toolbar is rebuilt only when the table's columns change; data-dependent ranges
    // (_limits) narrow the controls in place, so an open list or a dragged slider stays.
    this.listen("change:_columns", () => this.buildPickers());
    this.listen("change:_schema", () => this.buildPickers());
    this.listen("change:_limits", () => this.toolbar.applyLimits());
    const pickers = [
      "algorithm",
      "embedding",
      "color_by",
      "color_scale",
      "image_column",
      "selection_column",
      "label_column",
    ] as const;
    for (const name of pickers) {
      this.listen(`change:${name}`, () => this.toolbar.show(name));
    }
    this.listen("change:algorithm", () => this.toolbar.buildParams());
    this.listen("change:params", () => this.toolbar.showParams());
    this.listen("change:selection_column", () => this.showSelection());
    this.listen("change:image_column", () => {
      this.tooltip.clear();
      this.showSelection();
    });
    this.listen("change:status", () => this.showStatus());
    this.listen("change:_layout", () => {
      this.showLayout(this.model.get("_layout"), false);
      this.showStatus(); // (a preview is named in the status)
    });
    this.listen("change:_colors", () => this.showColors(this.model.get("_colors")));
    this.listen("change:_clusters", () => {
      this.overlays.showClusters(this.drawnClusters());
      this.pictures.schedule(); // (their labels belong in the saved picture)
    });
    this.listen("change:labels", () => this.showToggles());
    this.listen("change:density", () => this.showToggles());
    this.listen("change:selection", () => this.showSelection());
    this.listen("change:_search", () => this.showSearch());
    this.listen("change:search", () => this.showSearch());
    this.listen("change:search_column", () => this.showSearchColumns());
    this.listen("change:_filter", () => this.showFilter());
    this.listen("change:subset", () => this.showSubsetButtons());
    this.listen("change:filter", () => this.showFilter());
    this.listen("change:_link", () => this.link.update(this.model.get("_link")));
    this.link.update(this.model.get("_link"));
    const showSteps = () =>
      this.stepsBar.show(
        this.model.get("steps") ?? [],
        this.model.get("step") ?? 0,
        this.model.get("_steps"),
      );
    for (const name of ["steps", "step", "_steps"] as const) this.listen(`change:${name}`, showSteps);
    showSteps();
    const onMessage = (message: unknown, buffers: DataView[]) => this.receive(message, buffers);
    this.model.on("msg:custom", onMessage);
    this.cleanups.push(() => this.model.off("msg:custom", onMessage));
    // The widget manager drops the comm when the kernel restarts: the new kernel has no model for
    // this view, so nothing the user does here can reach Python any more. Say so over the plot.
    const onDisconnect = () => this.disconnected();
    this.model.on("comm_live_update", onDisconnect);
    this.cleanups.push(() => this.model.off("comm_live_update", onDisconnect));
    const resize = new ResizeObserver(() => {
      const { width, height } = this.plotBox.getBoundingClientRect();
      this.scatter.resize(width, height);
      requestAnimationFrame(() => this.overlays.place()); // (a resize moves no camera: no view event)
    });
    resize.observe(this.plotBox);
    this.cleanups.push(() => resize.disconnect());
    const background = () => this.scatter.setBackground(themeBackground(this.root));
    this.cleanups.push(watchTheme(background), () => this.wheel.dispose());
    requestAnimationFrame(background); // once the root is in the page and styled

    this.buildPickers();
    this.showStatus();
    this.showColors(this.model.get("_colors"));
    this.showLayout(this.model.get("_layout"), true);
    this.showSelection();
    this.showSearch();
    this.showFilter();
    this.showToggles();
    // The kernel counts the views showing this widget: with none left it stops and frees its work.
    // Its answer says a kernel holds the view; without one, this is a saved notebook's picture.
    this.send({ type: "output", shown: true });
    this.unanswered = setTimeout(() => this.savedPicture(true), SAVED_NOTICE_MS);
    this.cleanups.push(() => clearTimeout(this.unanswered));
    if (toUint32(this.model.get("selection")).length) this.send({ type: "rows" });
  }

  dispose(): void {
    try {
      this.send({ type: "output", shown: false });
    } catch {
      // the widget was closed from Python: its comm is gone, and so is the work to free
    }
    for (const cleanup of this.cleanups) cleanup();
    this.pictures.dispose();
    this.toolbar.dispose();
    this.tooltip.clear();
    this.explore.dispose();
    this.details.dispose();
    this.overlays.dispose();
    this.link.dispose();
    this.stepsBar.dispose();
    this.selectionList.dispose();
    this.scatter.destroy();
    this.root.remove();
  }

  private listen(event: `change:${keyof Traits & string}`, handler: () => void): void {
    this.model.on(event, handler);
    this.cleanups.push(() => this.model.off(event, handler));
  }

  private set<K extends keyof Traits & string>(name: K, value: Traits[K]): void {
    this.model.set(name, value);
    this.model.save_changes();
  }

  private send(message: ToKernel, buffers?: ArrayBuffer[]): void {
    this.model.send(message, undefined, buffers);
  }

  private buildPickers(): void {
    this.toolbar.build();
    this.showSearchColumns();
  }

  private showStatus(): void {
    const layout = this.model.get("_layout");
    const drawn = !layout?.coords ? "nothing" : layout.preview ? "preview" : "layout";
    this.statusBar.show(this.model.get("status") ?? {}, drawn);
    this.toolbar.describeParams();
    this.overlays.showPlaced(this.placedStart());
  }

  /** The first row placed into the layout drawn without a refit, if its status says so. */
  private placedStart(): number | null {
    const status = this.model.get("status") ?? {};
    const drawn = this.root.dataset.final === "true" && String(status.seq) === this.root.dataset.seq;
    return status.state === "done" && drawn ? placedFrom(status.info) : null;
  }

  private showLayout(layout: Layout, initial: boolean): void {
    const next = this.layouts.next(layout, this.scatter.current, initial);
    if (!next) return;
    const { points, animate, seq, final } = next;
    // The DOM hooks (data-points, data-final, data-seq) describe what is drawn, so set them once it
    // is; data-layouts counts the layouts drawn (a streamed frame dropped for a newer one is not);
    // data-indexed says whether hover and lasso can find its points yet.
    void this.scatter.setLayout(points, animate, () => {
      this.root.dataset.indexed = String(this.scatter.indexed);
      this.root.dataset.points = String(points.x.length);
      this.root.dataset.final = String(final);
      this.root.dataset.seq = String(seq);
      this.layoutsDrawn += 1;
      this.root.dataset.layouts = String(this.layoutsDrawn);
      if (this.emphasised !== points.x.length) this.showEmphasis(); // (first layout, new rows)
      this.overlays.drawn(points, this.drawnClusters());
      this.link.place();
      this.overlays.showPlaced(this.placedStart());
      this.pictures.claim();
      this.pictures.schedule();
    });
  }

  private showColors(colors: Colors): void {
    this.tooltip.clear();
    this.toolbar.rebuildScale();
    this.legend.show(colors);
    const { encoding, codes } = pointColors(colors);
    this.codes = codes;
    this.legendHidden = new Set();
    this.showHidden();
    void this.scatter.setColors(encoding);
  }

  private showSearch(): void {
    const rows = this.model.get("_limits")?.n_rows ?? 0;
    this.explore.showSearch(this.model.get("_search") ?? {}, this.model.get("search") ?? "", rows);
    this.showEmphasis();
  }

  private showSearchColumns(): void {
    const columns = (this.model.get("_columns") ?? []).filter(
      (c) => c.kind === "text" || c.kind === "categorical",
    );
    this.explore.showColumns(
      columns.map((c) => c.name),
      this.model.get("search_column"),
    );
  }

  private showFilter(): void {
    const rows = this.model.get("_limits")?.n_rows ?? 0;
    this.explore.showFilter(this.model.get("_filter") ?? {}, this.model.get("filter") ?? "", rows);
    this.showHidden();
  }

  private matches(): Uint32Array | null {
    const indices = this.model.get("_search")?.indices;
    return indices ? toUint32(indices) : null;
  }

  /** Select the matches the filter (or a subset) does not hide. */
  private selectMatches(): void {
    const matches = this.matches();
    if (!matches) return;
    const hidden = this.model.get("_filter")?.hidden;
    const mask = hidden ? toUint8(hidden) : null;
    this.set("selection", fromUint32(Array.from(matches).filter((i) => !mask?.[i])));
  }

  private focusOn(focus: { index: number; neighbors: number[] } | null): void {
    this.focus = focus;
    this.overlays.rings.show(focus?.index ?? null, focus?.neighbors ?? []);
    this.showEmphasis();
  }

  /** Dim all but a clicked point and its neighbours, else all but the search's matches. */
  private showEmphasis(): void {
    const n = this.scatter.current?.x.length ?? 0;
    const mask = n ? emphasisMask(n, this.focus, this.matches()) : null;
    this.emphasised = mask ? n : -1;
    void this.scatter.setEmphasis(mask);
  }

  /** Hide what the legend hides and what the filter hides. */
  private showHidden(): void {
    const filtered = this.model.get("_filter")?.hidden;
    const byLegend = this.codes ? hiddenMask(this.codes, this.legendHidden) : null;
    const n = this.codes?.length ?? this.scatter.current?.x.length ?? 0;
    this.hidden = hiddenUnion(n, byLegend, filtered ? toUint8(filtered) : null);
    this.scatter.setHidden(this.hidden);
    this.overlays.setHidden(this.hidden);
    this.pictures.schedule();
  }

  private hover(index: number | null): void {
    this.link.hovered(index);
    if (index === null) {
      this.tooltip.hover(null);
      return;
    }
    const [x, y] = this.scatter.screenPosition(index) ?? [0, 0];
    this.tooltip.hover(index, x, y);
  }

  private select(indices: number[]): void {
    // one point clicked (or lassoed): its details pin; any other selection unpins them
    this.details.pin(indices.length === 1 ? indices[0] : null);
    this.set("selection", fromUint32(indices)); // fires change:selection here too
  }

  private showSelection(): void {
    const indices = toUint32(this.model.get("selection"));
    this.scatter.select(indices);
    this.selectionList.show(indices);
    this.showSubsetButtons();
  }

  /** "zoom" and "project only these" need a selection; "all rows" a subset. */
  private showSubsetButtons(): void {
    const some = toUint32(this.model.get("selection")).length > 0;
    const button = (name: string) => this.root.querySelector<HTMLButtonElement>(`.ew-${name}`);
    for (const name of ["zoom", "isolate"]) {
      const b = button(name);
      if (b) b.disabled = !some;
    }
    const all = button("all-rows");
    if (all) all.hidden = this.model.get("subset") == null;
  }

  private receive(message: unknown, buffers: DataView[]): void {
    if (isLiveReply(message)) {
      clearTimeout(this.unanswered);
      this.savedPicture(false);
      this.pictures.connect();
    } else if (isRowReply(message)) this.tooltip.receive(message, buffers);
    else if (isDetailsReply(message)) this.details.receive(message, buffers);
    else if (isRowsReply(message)) this.selectionList.receive(message, buffers);
    else if (isFileReply(message) && message.error) this.actionsBar.showError(message.error);
    else if ((isCsvReply(message) || isFileReply(message)) && buffers[0]) {
      const view = buffers[0];
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
      const type = isFileReply(message) ? message.mime : "text/csv";
      download(URL.createObjectURL(new Blob([bytes], { type })), message.filename, true);
    }
  }

  /**
   * Say (or stop saying) that no kernel answered: the picture may be the one saved with the
   * notebook. A busy kernel answers once its cell ends, so nothing is disabled meanwhile.
   */
  private savedPicture(saved: boolean): void {
    clearNotice(this.plotBox, "ew-saved-notice");
    const text = "No kernel answers (yet): if this is a saved notebook, run the cell to explore";
    if (saved) showNotice(this.plotBox, "ew-saved-notice", text, "status");
  }

  private disconnected(): void {
    this.root.classList.add("ew-offline");
    this.tooltip.clear();
    this.details.pin(null);
    showNotice(this.plotBox, "ew-disconnected", "Kernel restarted: run the cell again", "alert");
  }

  private async savePng(): Promise<void> {
    const canvas = await figure(this.drawn, EXPORT_SCALE);
    download(canvas.toDataURL("image/png"), "embedding.png", false);
  }

  /** The clusters the kernel sent, with the layout on screen (labels only for their own). */
  private drawnClusters(): DrawnClusters {
    const seq = Number(this.root.dataset.seq ?? -1);
    return { state: this.model.get("_clusters"), seq, final: this.root.dataset.final === "true" };
  }

  private showToggles(): void {
    const labels = this.model.get("labels") !== false;
    const density = this.model.get("density") === true;
    this.actionsBar.showToggle("labels", labels);
    this.actionsBar.showToggle("density", density);
    this.overlays.setToggles(labels, density);
    this.toolbar.showLabelPicker(labels);
    this.pictures.schedule(); // (the saved picture shows the labels shown)
  }

  private actions(): ActionBar {
    const selected = () => Array.from(toUint32(this.model.get("selection")));
    return actionBar({
      resetView: () => this.scatter.resetView(),
      lasso: (on) => this.scatter.setLassoMode(on),
      clearSelection: () => {
        this.scatter.select([]);
        this.select([]);
      },
      zoomToSelection: () => this.scatter.zoomTo(selected()),
      projectSelection: () => {
        if (selected().length) this.set("subset", this.model.get("selection"));
      },
      allRows: () => this.set("subset", null),
      csv: () => this.send({ type: "csv" }),
      html: () => this.send({ type: "file", format: "html" }),
      svg: () => this.send({ type: "file", format: "svg" }),
      png: () => void this.savePng(),
      labels: (on) => this.set("labels", on),
      density: (on) => this.set("density", on),
    });
  }
}
