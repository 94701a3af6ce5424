// The synced traits, 1:1 with embed_widget/widget/view.py, and the shapes of their values, 1:1
// with embed_widget/widget/protocol.py and embed_widget/session/status.py (tests/test_protocol.py
// compares the keys of each interface with its Python TypedDict).
import type { AnyModel } from "@anywidget/types";

export type Kind = "embedding" | "numeric" | "categorical" | "text" | "image";

/** What the controls may use a column for (decided in Python). */
export type Role = "embedding" | "color" | "image" | "label";

export interface ColumnInfo {
  name: string;
  kind: Kind;
  roles: Role[];
}

export interface ParamSpec {
  name: string;
  label?: string;
  type: "int" | "float" | "choice";
  /** The control to build: a slider, or a dropdown (choices, small integer ranges). */
  control: "slider" | "select";
  min?: number;
  max?: number;
  step?: number;
  options?: (string | number)[];
  default: unknown;
  /** null is allowed and shown with this label ("auto", "off"). */
  nullable?: string;
  help?: string;
}

export interface AlgorithmSchema {
  label: string;
  params: ParamSpec[];
}

export type Schema = Record<string, AlgorithmSchema>;

/** What the table's data allows beyond the static schema: per algorithm, lower maxima. */
export interface Limits {
  n_rows: number;
  n_dims: number | null;
  max: Record<string, Record<string, number>>;
}

export interface Status {
  state?: "running" | "done" | "error" | "idle";
  phase?: string;
  progress?: number;
  message?: string;
  notices?: string[];
  info?: Record<string, unknown>;
  algorithm?: string;
  /** Every parameter of the finished projection (defaults filled, clamped to the data). */
  params?: Record<string, unknown>;
  seq?: number;
  seconds?: number;
  /** The layout's mean share of neighbours kept (known a moment after it is done). */
  quality?: number;
}

/** Empty ({}) until the first layout, and again once the view is hidden. */
export interface Layout {
  coords?: DataView;
  final?: boolean;
  seq?: number;
  n?: number;
  /** A PCA preview shown while UMAP / t-SNE start (not the request's own layout). */
  preview?: boolean;
  /** Turned by the kernel to match linked views: drawn as it is (not turned to the last one). */
  aligned?: boolean;
  /** Linked views: the box [min x, min y, max x, max y] fitted into the plot, the same for every
   * view (null: the layout's own). */
  frame?: number[] | null;
}

/** The linked views this view belongs to (`_link`); empty ({}) when it is on its own. */
export interface LinkState {
  group: string;
  /** int32 per row matching rows across tables; null: rows match by row number. */
  keys: DataView | null;
  /** The cameras move together. */
  zoom: boolean;
}

export interface NoColors {
  kind: "none";
  column: null;
  color: string;
}

export interface CategoricalColors {
  kind: "categorical";
  column: string;
  codes: DataView;
  categories: string[];
  counts: number[];
  /** One colour per category, in order. */
  palette: string[];
  /** The categories merged into the last one, "(other)" (most frequent first, capped). */
  other: string[];
  /** How many were merged (0: no "(other)"). */
  other_count: number;
}

export interface ContinuousColors {
  kind: "continuous";
  column: string;
  /** float32 positions on the colormap, 0 to 1 (NaN: missing). */
  positions: DataView;
  min: number;
  max: number;
  scale: "linear" | "log" | "quantile";
  /** The scales this column can take ("auto" first; "log" only for positive values). */
  scales: string[];
  /** [position, label] pairs for the colorbar. */
  ticks: [number, string][];
  /** Evenly spaced stops of the colormap, low to high. */
  colormap: string[];
}

export type Colors = NoColors | CategoricalColors | ContinuousColors;

/** The rows the search matches (`_search`); empty ({}) before any search. */
export interface SearchState {
  query: string;
  count: number;
  /** uint32 row indices (null: no search). */
  indices: DataView | null;
  /** Why the query typed last was not applied (the previous matches stay). */
  error: string | null;
}

/** The rows the filter hides (`_filter`); empty ({}) before any filter. */
export interface FilterState {
  expression: string;
  /** Rows kept. */
  count: number;
  /** uint8 per row, 1 = hidden (null: none hidden). */
  hidden: DataView | null;
  /** Why the expression typed last was not applied (the previous one stays). */
  error: string | null;
}

/** The shown layout's clusters (`_clusters`); empty ({}) until they are found. */
export interface ClusterState {
  /** The layout they belong to. */
  seq: number;
  /** uint16 per row: 0 = noise, k + 1 = cluster k. */
  codes: DataView;
  names: string[];
  sizes: number[];
  /** The column that named them (null: numbered). */
  column: string | null;
}

export interface Traits {
  algorithm: string;
  params: Record<string, unknown>;
  embedding: string[];
  color_by: string | null;
  color_scale: "auto" | "linear" | "log" | "quantile";
  image_column: string | null;
  selection: DataView;
  /** Rows projected on their own (uint32), or null for every row. */
  subset: DataView | null;
  selection_column: string | null;
  search: string;
  search_column: string | null;
  neighbor_metric: string | null;
  filter: string;
  labels: boolean;
  label_column: string | null;
  density: boolean;
  status: Status;
  _schema: Schema;
  _limits: Limits;
  _columns: ColumnInfo[];
  _layout: Layout;
  _colors: Colors;
  _search: Partial<SearchState>;
  _filter: Partial<FilterState>;
  _clusters: Partial<ClusterState>;
  _link: Partial<LinkState>;
  steps: string[];
  step: number;
  _steps: Partial<StepsState>;
}

/** The training steps laid out so far (`_steps`); empty ({}) without steps. */
export interface StepsState {
  /** Each step's embedding column, in order. */
  steps: string[];
  /** The steps laid out (their layouts show at once). */
  ready: number[];
  /** The run's progress, 0 to 1, and what it does now. */
  progress: number;
  phase: string;
}

export type Model = AnyModel<Traits>;
