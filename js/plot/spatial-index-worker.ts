// Worker: builds KDBush indexes from x and y (see spatial-index.ts) and sends their buffers back.
import { buildIndex } from "./index-build";

self.onmessage = (event: MessageEvent<{ id: number; x: Float32Array; y: Float32Array }>) => {
  const { id, x, y } = event.data;
  const data = buildIndex(x, y);
  (self as unknown as Worker).postMessage({ id, data }, [data]);
};
