// The PNG export: the plot drawn again at 2x, on the theme's background, with the legend (or
// colorbar) beside it and a caption naming the algorithm and its key parameters below.
import type { Colors, Status } from "../protocol/model";
import type { ShownLabel } from "./labels";
import { themeBackground } from "./theme";

export const EXPORT_SCALE = 2;

export interface PngTheme {
  background: string;
  foreground: string;
  muted: string;
  font: string;
}

/** The figure's colours and font, from the widget's theme. */
export function pngTheme(root: HTMLElement): PngTheme {
  const style = getComputedStyle(root);
  return {
    background: themeBackground(root),
    foreground: style.getPropertyValue("--ew-fg").trim() || "#1f2933",
    muted: style.getPropertyValue("--ew-muted").trim() || "#5f6b7a",
    font: style.fontFamily || "sans-serif",
  };
}

/** "UMAP · n_neighbors 15 · min_dist 0.1 · 1,797 points" from the finished status. */
export function caption(status: Status, points: number): string {
  const names: Record<string, string> = { pca: "PCA", umap: "UMAP", tsne: "t-SNE" };
  const params = Object.entries(status.params ?? {})
    .filter(([name, value]) => value !== null && KEY_PARAMS.includes(name))
    .map(([name, value]) => `${name} ${value}`);
  const name = names[status.algorithm ?? ""] ?? status.algorithm ?? "";
  return [name, ...params, `${points.toLocaleString("en-US")} points`].filter(Boolean).join(" · ");
}

/** Parameters worth naming under a figure (the rest stay in `t.projection.attrs`). */
const KEY_PARAMS = [
  "x_component",
  "y_component",
  "n_neighbors",
  "min_dist",
  "metric",
  "perplexity",
  "random_state",
];

/** The figure: `plot` (drawn at `scale`) with the cluster `labels` shown over it, legend and
 * caption, as a canvas. */
export function composePng(
  plot: ImageData,
  colors: Colors,
  text: string,
  theme: PngTheme,
  scale: number = EXPORT_SCALE,
  labels: ShownLabel[] = [],
): HTMLCanvasElement {
  const s = scale;
  const legend = legendSize(colors, s);
  const canvas = document.createElement("canvas");
  canvas.width = plot.width + legend.width;
  canvas.height = Math.max(plot.height, legend.height) + 24 * s;
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  context.fillStyle = theme.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  const layer = document.createElement("canvas"); // the plot's pixels, composited over the background
  layer.width = plot.width;
  layer.height = plot.height;
  layer.getContext("2d")?.putImageData(plot, 0, 0);
  context.drawImage(layer, 0, 0);
  drawLabels(context, labels, s, theme);
  context.font = `${12 * s}px ${theme.font}`;
  context.textBaseline = "middle";
  drawLegend(context, colors, plot.width + 8 * s, 8 * s, s, theme);
  context.fillStyle = theme.muted;
  context.fillText(text, 8 * s, canvas.height - 12 * s);
  return canvas;
}

function legendSize(colors: Colors, s: number): { width: number; height: number } {
  if (colors.kind === "categorical")
    return { width: 190 * s, height: (24 + 18 * colors.categories.length) * s };
  if (colors.kind === "continuous") return { width: 190 * s, height: 80 * s };
  return { width: 0, height: 0 };
}

function drawLegend(
  c: CanvasRenderingContext2D,
  colors: Colors,
  x: number,
  y: number,
  s: number,
  t: PngTheme,
): void {
  if (colors.kind === "none") return;
  c.fillStyle = t.foreground;
  c.fillText(colors.column, x, y + 8 * s);
  if (colors.kind === "categorical") {
    colors.categories.forEach((label, code) => {
      const row = y + (26 + 18 * code) * s;
      c.fillStyle = colors.palette[code] ?? t.muted;
      c.beginPath();
      c.arc(x + 5 * s, row, 5 * s, 0, 2 * Math.PI);
      c.fill();
      c.fillStyle = t.foreground;
      c.fillText(`${label}  (${colors.counts[code] ?? 0})`, x + 16 * s, row, 160 * s);
    });
    return;
  }
  const bar = c.createLinearGradient(x, 0, x + 160 * s, 0);
  const last = Math.max(1, colors.colormap.length - 1);
  for (const [i, stop] of colors.colormap.entries()) bar.addColorStop(i / last, stop);
  c.fillStyle = bar;
  c.fillRect(x, y + 20 * s, 160 * s, 10 * s);
  c.fillStyle = t.muted;
  for (const [position, label] of colors.ticks) {
    c.textAlign = position === 0 ? "left" : position === 1 ? "right" : "center";
    c.fillText(label, x + 160 * s * position, y + 42 * s);
  }
  c.textAlign = "left";
  c.fillText(`${colors.scale} scale`, x, y + 60 * s);
}

/** The cluster labels as the widget shows them: bold, centred, on a halo of the background. */
function drawLabels(
  context: CanvasRenderingContext2D,
  labels: ShownLabel[],
  s: number,
  theme: PngTheme,
): void {
  context.save();
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.lineJoin = "round";
  for (const label of labels) {
    context.font = `600 ${label.size * s}px ${theme.font}`;
    context.lineWidth = 3 * s;
    context.strokeStyle = theme.background;
    context.strokeText(label.text, label.x * s, label.y * s);
    context.fillStyle = theme.foreground;
    context.fillText(label.text, label.x * s, label.y * s);
  }
  context.restore();
}
