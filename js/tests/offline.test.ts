import { describe, expect, it } from "vitest";
import { OfflineModel, unpack } from "../offline/model";
import { formatNumber, HoverRows } from "../offline/rows";

const view = (array: ArrayBufferView) => new DataView(array.buffer, array.byteOffset, array.byteLength);
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

const columns = [
  {
    name: "topic",
    kind: "categorical" as const,
    codes: view(Uint8Array.of(1, 0, 1)),
    categories: ["os", "logging"],
  },
  { name: "text", kind: "text" as const, texts: ["Rotate LOG files", "<b>path</b> join", "log level"] },
  { name: "n", kind: "numeric" as const, values: view(Float32Array.of(1234.5678, Number.NaN, -1e-7)) },
];

describe("the saved rows", () => {
  it("give each row's values as text, the colour column first", () => {
    const rows = new HoverRows(columns);
    expect(rows.values(0, "n")).toEqual([
      ["n", "1235"],
      ["topic", "logging"],
      ["text", "Rotate LOG files"],
    ]);
    expect(rows.cell("n", 1)).toBe("—");
  });

  it("search as the kernel does: case-insensitive substrings, /regex/, one column or all", () => {
    const rows = new HoverRows(columns);
    expect(Array.from((rows.search("LOG", null) as { indices: Uint32Array }).indices)).toEqual([0, 2]);
    expect(Array.from((rows.search("log", "topic") as { indices: Uint32Array }).indices)).toEqual([0, 2]);
    expect(Array.from((rows.search("/^<b>/", "text") as { indices: Uint32Array }).indices)).toEqual([1]);
    expect(rows.search("/(/", null)).toHaveProperty("error");
    expect(rows.search("", null)).toEqual({ indices: null });
  });

  it("format numbers like Python's :.4g", () => {
    expect(formatNumber(1234.5678)).toBe("1235");
    expect(formatNumber(0.000123456)).toBe("0.0001235");
    expect(formatNumber(-1e-7)).toBe("-1e-07");
    expect(formatNumber(123456789)).toBe("1.235e+08");
    expect(formatNumber(2.5)).toBe("2.5");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("inf");
  });
});

describe("the offline model", () => {
  it("puts the buffers back and the layout to float32", () => {
    const codes = Uint16Array.of(0, 65535, 65535, 0);
    const snapshot = unpack({
      snapshot: {
        state: { _layout: { seq: 1, final: true, low: [0, -1], high: [2, 1] } },
        rows: [],
        about: {},
      },
      buffer_paths: [["state", "_layout", "coords16"]],
      buffers: [base64(new Uint8Array(codes.buffer))],
    });
    const layout = snapshot.state._layout as { coords: DataView; low?: unknown };
    expect(Array.from(new Float32Array(layout.coords.buffer))).toEqual([0, 1, 2, -1]);
    expect(layout.low).toBeUndefined();
  });

  it("answers the widget's messages from the saved rows and runs a saved search", async () => {
    const model = new OfflineModel({ search: "log", color_by: "topic" }, columns);
    expect(model.get("_search")).toMatchObject({ query: "log", count: 2, error: null });
    const replies: unknown[] = [];
    model.on("msg:custom", (content) => replies.push(content));
    model.send({ type: "row", index: 1 });
    model.send({ type: "output", shown: true });
    model.send({ type: "csv" }); // needs the kernel: no answer
    await Promise.resolve();
    expect(replies).toEqual([
      {
        type: "row",
        index: 1,
        values: [
          ["topic", "os"],
          ["text", "<b>path</b> join"],
          ["n", "—"],
        ],
        image: false,
      },
      { type: "live" },
    ]);
    model.set("filter", "n > 1");
    expect(model.get("_filter")).toMatchObject({ error: expect.stringContaining("needs the kernel") });
  });

  it("answers with the saved thumbnails: a row's, and the selection's in order", async () => {
    const data = Uint8Array.of(1, 2, 3, 9, 8);
    const images = {
      rows: view(Uint32Array.of(0, 2)),
      offsets: view(Uint32Array.of(0, 3, 5)),
      data: view(data),
      count: 2,
    };
    const model = new OfflineModel({ color_by: "topic" }, columns, images);
    const replies: [Record<string, unknown>, DataView[]][] = [];
    model.on("msg:custom", (content, buffers) =>
      replies.push([content as Record<string, unknown>, buffers as DataView[]]),
    );
    const bytes = (v: DataView) => Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    model.send({ type: "row", index: 2 });
    model.send({ type: "row", index: 1 });
    model.set("selection", view(Uint32Array.of(0, 1, 2)));
    await Promise.resolve();
    expect(replies[0][0]).toMatchObject({ type: "row", index: 2, image: true });
    expect(replies[0][1].map(bytes)).toEqual([[9, 8]]);
    expect(replies[1][0]).toMatchObject({ type: "row", index: 1, image: false });
    expect(replies[1][1]).toEqual([]);
    const list = replies[2][0].rows as { index: number; image: boolean }[];
    expect(list.map((row) => row.image)).toEqual([true, false, true]);
    expect(replies[2][1].map(bytes)).toEqual([
      [1, 2, 3],
      [9, 8],
    ]);
  });
});
