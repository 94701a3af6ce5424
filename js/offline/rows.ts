// The rows saved with an HTML page (embed_widget/widget/share.py `_hover_columns`): each row's
// values as text for the tooltip and the details panel, and the search the kernel would run (a
// case-insensitive substring, or /regex/) over the saved text and category columns.

export interface SavedColumn {
  name: string;
  kind: "categorical" | "numeric" | "text";
  /** categorical: uint8 codes (uint16 if `wide`) into `categories`. */
  codes?: DataView;
  wide?: boolean;
  categories?: string[];
  /** numeric: float32 values (NaN: missing). */
  values?: DataView;
  /** text: one string per row. */
  texts?: string[];
}

type Found = { indices: Uint32Array | null } | { error: string };

/** Tooltip order: the colour column first, then as saved. At most this many values. */
const MAX_VALUES = 12;

export class HoverRows {
  private readonly cells: Map<string, (index: number) => string>;

  constructor(private readonly columns: SavedColumn[]) {
    this.cells = new Map(columns.map((column) => [column.name, reader(column)]));
  }

  /** The row's (name, text) pairs, the colour column `first`; `limit` values (null: all). */
  values(index: number, first: string | null, limit: number | null = MAX_VALUES): [string, string][] {
    const names = this.columns.map((c) => c.name).sort((a, b) => Number(b === first) - Number(a === first));
    const pairs = names.map((name): [string, string] => [name, this.cell(name, index)]);
    return limit === null ? pairs : pairs.slice(0, limit);
  }

  cell(name: string, index: number): string {
    return this.cells.get(name)?.(index) ?? "";
  }

  /** The rows whose text or category matches `query` (in `column`, else in every such column). */
  search(query: string, column: string | null): Found {
    if (query === "") return { indices: null };
    let matches: (text: string) => boolean;
    if (query.length >= 2 && query.startsWith("/") && query.endsWith("/")) {
      try {
        const pattern = new RegExp(query.slice(1, -1), "i");
        matches = (text) => pattern.test(text);
      } catch (error) {
        return { error: `search ${query} is not a valid regular expression: ${(error as Error).message}` };
      }
    } else {
      const lowered = query.toLowerCase();
      matches = (text) => text.toLowerCase().includes(lowered);
    }
    const searched = this.columns.filter(
      (c) => c.kind !== "numeric" && (column === null || c.name === column),
    );
    const n = this.length();
    const hits: number[] = [];
    for (let i = 0; i < n; i++) {
      if (searched.some((c) => matches(this.cell(c.name, i)))) hits.push(i);
    }
    return { indices: Uint32Array.from(hits) };
  }

  private length(): number {
    const first = this.columns[0];
    if (!first) return 0;
    if (first.texts) return first.texts.length;
    const view = first.codes ?? first.values;
    if (!view) return 0;
    return view.byteLength / (first.values ? 4 : first.wide ? 2 : 1);
  }
}

function reader(column: SavedColumn): (index: number) => string {
  if (column.kind === "categorical" && column.codes && column.categories) {
    const view = column.codes;
    const codes = column.wide
      ? new Uint16Array(view.buffer, view.byteOffset, view.byteLength >> 1)
      : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const categories = column.categories;
    return (i) => categories[codes[i]] ?? "";
  }
  if (column.kind === "numeric" && column.values) {
    const view = column.values;
    const values = new Float32Array(view.buffer, view.byteOffset, view.byteLength >> 2);
    return (i) => (Number.isNaN(values[i]) ? "—" : formatNumber(values[i]));
  }
  const texts = column.texts ?? [];
  return (i) => texts[i] ?? "";
}

/** As the kernel formats a float: 4 significant digits, like Python's `:.4g`. */
export function formatNumber(value: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude < -4 || magnitude >= 4) {
    const [mantissa, exponent] = value.toExponential(3).split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    const digits = exponent.replace(/^[+-]/, "").padStart(2, "0");
    return `${trimZeros(mantissa)}e${sign}${digits}`;
  }
  return trimZeros(value.toFixed(Math.max(0, 3 - magnitude)));
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** The image column's thumbnails saved with the page (share.py `_thumbnails`): row `rows[i]` has
 * the image `data[offsets[i]:offsets[i + 1]]` (PNG or WebP). */
export interface SavedImages {
  rows: DataView;
  offsets: DataView;
  data: DataView;
  count: number;
}

export class Thumbnails {
  private readonly rows: Uint32Array;
  private readonly offsets: Uint32Array;

  constructor(private readonly saved: SavedImages | null | undefined) {
    this.rows = saved ? uint32s(saved.rows) : new Uint32Array();
    this.offsets = saved ? uint32s(saved.offsets) : new Uint32Array();
  }

  /** Row `index`'s image, or null when none was saved for it. */
  of(index: number): DataView | null {
    let low = 0;
    let high = this.rows.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.rows[middle] === index) {
        const data = this.saved?.data as DataView;
        const start = this.offsets[middle];
        return new DataView(data.buffer, data.byteOffset + start, this.offsets[middle + 1] - start);
      }
      if (this.rows[middle] < index) low = middle + 1;
      else high = middle - 1;
    }
    return null;
  }
}

function uint32s(view: DataView): Uint32Array {
  return new Uint32Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}
