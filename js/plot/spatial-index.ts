// The spatial index regl-scatterplot answers hover and lasso queries from (a KDBush tree over the
// points). regl-scatterplot builds it itself before its first draw: at 1M points that took ~1.7 s
// here, half of it cloning a million [x, y] arrays to its worker. We hand it one instead. Small
// layouts get theirs at once from the typed arrays; large ones first get an empty placeholder
// (every query finds nothing), so the first frame draws at once, and the real index, built in a
// worker, is copied into the placeholder's buffer when it lands: regl-scatterplot reads that buffer.
import workerSource from "virtual:spatial-index-worker";
import { buildIndex, placeholderIndex } from "./index-build";

/** Up to this many points the index is built at once (~5 ms); above, in a worker (100k points:
 * ~40 ms in node, ~120 ms in a profiled page, before the first frame could draw). */
export const SYNC_INDEX_MAX = 20_000;

export interface PendingIndex {
  /** The index to draw with now (the real one, or a placeholder filled in later). */
  data: ArrayBuffer;
  /** Resolves once `data` holds the real index. */
  ready: Promise<void>;
  /** Whether it does already. */
  done: boolean;
}

/** The spatial index for these points: built now when small, else filled in off the main thread. */
export function spatialIndex(x: Float32Array, y: Float32Array): PendingIndex {
  if (x.length <= SYNC_INDEX_MAX || !workerSource || typeof Worker === "undefined") {
    return { data: buildIndex(x, y), ready: Promise.resolve(), done: true };
  }
  const pending: PendingIndex = { data: placeholderIndex(x.length), ready: Promise.resolve(), done: false };
  pending.ready = buildInWorker(x, y)
    .catch(() => buildIndex(x, y)) // (a page that forbids workers: build it here after all)
    .then((built) => {
      new Uint8Array(pending.data).set(new Uint8Array(built));
      pending.done = true;
    });
  return pending;
}

// One worker for the page, started with the first plot (before any layout arrives) and kept: a
// worker started per layout paid its start-up, and its Blob URL a round trip to the browser
// process, on the way to each large layout's first frame.
let indexWorker: Worker | null = null;
const waiting = new Map<number, { resolve: (data: ArrayBuffer) => void; reject: (e: Error) => void }>();
let nextId = 0;

/** Start the page's index worker now, if it will be needed and is not running. */
export function startIndexWorker(): Worker | null {
  if (indexWorker || !workerSource || typeof Worker === "undefined") return indexWorker;
  const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
  const worker = new Worker(url, { name: "embed-widget spatial index" });
  URL.revokeObjectURL(url);
  worker.onmessage = (event: MessageEvent<{ id: number; data: ArrayBuffer }>) => {
    const { id, data } = event.data;
    waiting.get(id)?.resolve(data);
    waiting.delete(id);
  };
  worker.onerror = (event) => {
    worker.terminate();
    indexWorker = null; // the next layout starts another
    for (const { reject } of waiting.values()) reject(new Error(event.message));
    waiting.clear();
  };
  indexWorker = worker;
  return worker;
}

function buildInWorker(x: Float32Array, y: Float32Array): Promise<ArrayBuffer> {
  const worker = startIndexWorker();
  if (!worker) return Promise.reject(new Error("no worker"));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    // copies, transferred: the layout's own arrays stay with the plot
    const xs = x.slice();
    const ys = y.slice();
    worker.postMessage({ id, x: xs, y: ys }, [xs.buffer, ys.buffer]);
  });
}
