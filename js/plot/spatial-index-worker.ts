// Worker: builds a KDBush index from x and y (see spatial-index.ts) and sends its buffer back.
import { buildIndex } from "./index-build";

self.onmessage = (event: MessageEvent<{ x: Float32Array; y: Float32Array }>) => {
  const data = buildIndex(event.data.x, event.data.y);
  (self as unknown as Worker).postMessage(data, [data]);
};
