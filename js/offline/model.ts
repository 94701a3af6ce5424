// A model without a kernel, for the saved HTML page: it holds the state the kernel had (from
// embed_widget/widget/share.py), answers the messages the widget sends (a row's values, the
// selection's list) from the rows saved with it, and runs the search itself. Anything that needs
// the kernel (another algorithm, a filter, neighbours) says so.
import type { Traits } from "../protocol/model";
import { HoverRows, type SavedColumn, type SavedImages, Thumbnails } from "./rows";

type Handler = (...args: unknown[]) => void;

export interface Packed {
  snapshot: Snapshot;
  buffer_paths: (string | number)[][];
  buffers: string[];
}

export interface Snapshot {
  state: Record<string, unknown>;
  rows: SavedColumn[];
  about: Record<string, unknown>;
  images?: SavedImages | null;
}

export const NEEDS_KERNEL = "needs the kernel: this is a saved page (run the notebook to change it)";

/** The snapshot with each base64 buffer back at its path, as a DataView. */
export function unpack(packed: Packed): Snapshot {
  const root = packed.snapshot as unknown as Record<string | number, unknown>;
  packed.buffer_paths.forEach((path, i) => {
    let at = root;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1]] = new DataView(decodeBase64(packed.buffers[i]).buffer);
  });
  const state = packed.snapshot.state;
  state._layout = dequantized(state._layout as Record<string, unknown>);
  return packed.snapshot;
}

function decodeBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** uint16 per axis between low and high back to float32 x, y interleaved. */
function dequantized(layout: Record<string, unknown>): Record<string, unknown> {
  const view = layout.coords16 as DataView | undefined;
  if (!view) return layout;
  const codes = new Uint16Array(view.buffer, view.byteOffset, view.byteLength >> 1);
  const [lowX, lowY] = layout.low as number[];
  const [highX, highY] = layout.high as number[];
  const coords = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i += 2) {
    coords[i] = lowX + (codes[i] / 65535) * (highX - lowX);
    coords[i + 1] = lowY + (codes[i + 1] / 65535) * (highY - lowY);
  }
  const { coords16: _codes, low: _low, high: _high, ...rest } = layout;
  return { ...rest, coords: new DataView(coords.buffer) };
}

export class OfflineModel {
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly rows: HoverRows;
  private readonly images: Thumbnails;

  constructor(
    private readonly state: Record<string, unknown>,
    rows: SavedColumn[],
    images: SavedImages | null = null,
  ) {
    this.rows = new HoverRows(rows);
    this.images = new Thumbnails(images);
    if (state.search) this.search(); // saved with a search typed: its matches stand out again
  }

  get<K extends keyof Traits>(name: K): Traits[K] {
    return this.state[name] as Traits[K];
  }

  set<K extends keyof Traits>(name: K, value: Traits[K]): void {
    this.state[name] = value;
    this.emit(`change:${name}`);
    if (name === "search" || name === "search_column") this.search();
    if (name === "selection" || name === "selection_column") this.send({ type: "rows" });
    if (name === "filter")
      this.update("_filter", { ...(this.state._filter as object), error: `the filter ${NEEDS_KERNEL}` });
  }

  save_changes(): void {}

  on(event: string, handler: Handler): void {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)?.add(handler);
  }

  off(event: string, handler: Handler): void {
    this.handlers.get(event)?.delete(handler);
  }

  /** A message to the kernel: answered here, as the kernel would, when the saved rows can. */
  send(message: Record<string, unknown>): void {
    const reply = this.answer(message);
    if (reply) this.reply(reply, this.imagesOf(reply));
  }

  private reply(content: Record<string, unknown>, buffers: DataView[] = []): void {
    queueMicrotask(() => this.emit("msg:custom", content, buffers));
  }

  /** The saved thumbnails a reply names (its `image`, or its rows' `image`s, in order). */
  private imagesOf(reply: Record<string, unknown>): DataView[] {
    if (!["row", "details", "rows"].includes(String(reply.type))) return [];
    const rows = (reply.rows ?? [reply]) as { index?: number; image?: boolean }[];
    return rows.flatMap((row) => {
      const image = row.index === undefined ? null : this.images.of(row.index);
      row.image = image !== null;
      return image ? [image] : [];
    });
  }

  private answer(message: Record<string, unknown>): Record<string, unknown> | null {
    const index = Number(message.index);
    const first = (this.state.color_by as string | null) ?? null;
    switch (message.type) {
      case "row":
        return { type: "row", index, values: this.rows.values(index, first) };
      case "details":
        return {
          type: "details",
          index,
          values: this.rows.values(index, first, null),
          neighbors: [],
          neighbors_error: `nearest rows ${NEEDS_KERNEL}`,
        };
      case "rows":
        return this.selectionList();
      case "output":
        return { type: "live" }; // this page answers for itself: no notebook cell to run
      default:
        return null; // "csv" needs the kernel
    }
  }

  private selectionList(): Record<string, unknown> {
    const view = this.state.selection as DataView | undefined;
    const selected = view
      ? new Uint32Array(view.buffer, view.byteOffset, view.byteLength >> 2)
      : new Uint32Array();
    const label = (this.state.selection_column ?? this.state.color_by ?? null) as string | null;
    const rows = Array.from(selected.slice(0, 200), (index) => ({
      index,
      label: label ? this.rows.cell(label, index) : `row ${index}`,
      image: false,
    }));
    return { type: "rows", total: selected.length, rows }; // (their images: imagesOf)
  }

  private search(): void {
    const query = String(this.state.search ?? "");
    const column = (this.state.search_column as string | null) ?? null;
    const found = this.rows.search(query, column);
    if ("error" in found) {
      this.update("_search", { ...(this.state._search as object), error: found.error });
      return;
    }
    const indices = found.indices ? new DataView(found.indices.buffer) : null;
    this.update("_search", { query, count: found.indices?.length ?? 0, indices, error: null });
  }

  private update(name: string, value: unknown): void {
    this.state[name] = value;
    this.emit(`change:${name}`);
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}
