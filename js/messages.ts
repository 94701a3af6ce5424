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

export type ToKernel = RowRequest | CsvRequest;
export type FromKernel = RowReply | CsvReply;

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
