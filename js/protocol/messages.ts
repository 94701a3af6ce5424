// Custom messages between the widget and the kernel: on-demand fetches only (state lives in traits).

/** Frontend → kernel: the details of one row, for the hover tooltip. */
export interface RowRequest {
  type: "row";
  index: number;
}

/** Kernel → frontend: one row's cells as text, and its image (PNG in buffers[0]) when it has one. */
export interface RowReply {
  type: "row";
  index: number;
  values?: [string, string][];
  image?: boolean;
  error?: string;
}

/** Frontend → kernel: the current projection as CSV (x, y and the table's columns). */
export interface CsvRequest {
  type: "csv";
}

/** Kernel → frontend: the CSV text in buffers[0]. */
export interface CsvReply {
  type: "csv";
  filename: string;
}

/** Frontend → kernel: the list of the first selected rows, now (a newly rendered view asks; the
 * kernel also sends it unasked whenever the selection or the listed column changes). */
export interface RowsRequest {
  type: "rows";
}

export interface RowSummary {
  index: number;
  label: string;
  image: boolean;
}

/** Kernel → frontend: the entries; the PNGs of those with `image` follow in buffers, in order. */
export interface RowsReply {
  type: "rows";
  /** How many rows are selected (the list holds the first ones). */
  total: number;
  rows: RowSummary[];
}

/** Frontend → kernel: a view of the widget was rendered (shown) or disposed (its output cleared,
 * the cell re-run, the notebook closed). With none left, the kernel stops and frees its work. */
export interface OutputEvent {
  type: "output";
  shown: boolean;
}

/** Frontend → kernel: every value of one row in full, for the pinned details panel. */
export interface DetailsRequest {
  type: "details";
  index: number;
  /** The metric for its neighbours (default: the view's). */
  metric?: string;
}

/** One of a row's nearest rows in the original space. */
export interface Neighbor {
  index: number;
  distance: number;
  label: string;
}

/** Kernel → frontend: (name, text) of every column, untruncated; the PNG in buffers[0]. */
export interface DetailsReply {
  type: "details";
  index: number;
  values?: [string, string][];
  image?: boolean;
  error?: string;
  /** The metric the neighbours were found with, and the others to choose from. */
  metric?: string;
  metrics?: string[];
  /** Nearest first. */
  neighbors?: Neighbor[];
  /** Why no neighbours could be found. */
  neighbors_error?: string;
}

/** Frontend → kernel: the picture on screen as a file: one self-contained HTML page, or SVG. */
export interface FileRequest {
  type: "file";
  format: "html" | "svg";
}

/** Kernel → frontend: the file in buffers[0], or why there is none. */
export interface FileReply {
  type: "file";
  filename: string;
  mime: string;
  error?: string;
}

export function isFileReply(message: unknown): message is FileReply {
  return (message as { type?: unknown } | null)?.type === "file";
}

/** Frontend → kernel: the saved picture of final layout `seq` (a PNG in buffers[0]), kept by the
 * kernel in the output displayed after the widget's (embed_widget/widget/picture.py). */
export interface PictureMessage {
  type: "picture";
  seq: number;
}

/** Frontend → kernel: fit every row again (rows placed since the fit included). */
export interface RefitRequest {
  type: "refit";
}

export type ToKernel =
  | RowRequest
  | CsvRequest
  | FileRequest
  | RowsRequest
  | OutputEvent
  | DetailsRequest
  | PictureMessage
  | RefitRequest;

export function isDetailsReply(message: unknown): message is DetailsReply {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { type?: unknown }).type === "details" &&
    typeof (message as { index?: unknown }).index === "number"
  );
}

export function isRowsReply(message: unknown): message is RowsReply {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { type?: unknown }).type === "rows" &&
    Array.isArray((message as { rows?: unknown }).rows)
  );
}

export function isCsvReply(message: unknown): message is CsvReply {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "csv";
}

export function isRowReply(message: unknown): message is RowReply {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { type?: unknown }).type === "row" &&
    typeof (message as { index?: unknown }).index === "number"
  );
}

/** Kernel → frontend: the answer to an OutputEvent; a view restored from a saved notebook's
 * widget state, with no kernel behind it, never gets one. */
export interface LiveReply {
  type: "live";
}

export function isLiveReply(message: unknown): message is LiveReply {
  return (message as { type?: unknown } | null)?.type === "live";
}
