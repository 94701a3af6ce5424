// Builds the frontend: the widget's ES module and the standalone (exported HTML) script. Each
// bundles the spatial-index worker's own small bundle as text, so the worker starts from a Blob
// URL: anywidget loads the widget from a URL that relative worker URLs cannot resolve against.
// `node scripts/build.mjs --dev` adds inline source maps, skips minifying and rebuilds the widget
// and standalone bundles on every change (the worker's bundle is built once, at the start).
import * as esbuild from "esbuild";

const dev = process.argv.includes("--dev");
const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? "inline" : false,
  target: "es2020",
  logLevel: "warning",
};

const worker = await esbuild.build({
  ...common,
  sourcemap: false,
  entryPoints: ["js/plot/spatial-index-worker.ts"],
  format: "iife",
  write: false,
});
const workerSource = worker.outputFiles[0].text;

/** `import source from "virtual:spatial-index-worker"` gives the worker bundle's text. */
const workerText = {
  name: "spatial-index-worker",
  setup(build) {
    build.onResolve({ filter: /^virtual:spatial-index-worker$/ }, (args) => ({
      path: args.path,
      namespace: "worker-text",
    }));
    build.onLoad({ filter: /.*/, namespace: "worker-text" }, () => ({
      contents: `export default ${JSON.stringify(workerSource)};`,
      loader: "js",
    }));
  },
};

const bundles = [
  { entryPoints: ["js/index.ts"], format: "esm", outfile: "embed_widget/static/widget.js" },
  {
    entryPoints: ["js/standalone.ts"],
    format: "iife",
    globalName: "EmbedWidgetStandalone",
    outfile: "embed_widget/static/standalone.js",
  },
];
for (const bundle of bundles) {
  const options = { ...common, ...bundle, plugins: [workerText] };
  if (dev) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
