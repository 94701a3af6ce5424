import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // scripts/build.mjs provides the worker's bundle; the tests build indexes on the main thread
      "virtual:spatial-index-worker": fileURLToPath(
        new URL("./js/tests/stubs/spatial-index-worker.ts", import.meta.url),
      ),
    },
  },
});
