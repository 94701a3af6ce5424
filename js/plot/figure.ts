// The figure of what is on screen: the plot, the cluster labels shown, the legend and a caption.
// The PNG export draws the plot again at 2x; the saved picture (picture.ts) copies the frame on
// screen, since drawing again resizes the visible canvas for a frame (a flicker, seen in tests).
import type { Colors, Status } from "../protocol/model";
import { caption, composePng, pngTheme } from "./export";
import type { Overlays } from "./overlays";
import type { Picture } from "./picture";
import type { Scatter } from "./scatter";

export interface Drawn {
  scatter: Scatter;
  overlays: Overlays;
  /** The widget's root: its theme, and `data-seq` of the layout drawn. */
  root: HTMLElement;
  status: () => Status;
  colors: () => Colors;
}

/** The figure at `scale` image pixels a CSS pixel (null: the frame on screen, at the screen's
 * pixel ratio), its caption ending in `note`. */
export async function figure(drawn: Drawn, scale: number | null, note = ""): Promise<HTMLCanvasElement> {
  const points = drawn.scatter.current?.x.length ?? 0;
  const text = caption(drawn.status(), points) + note;
  // regl-scatterplot's export multiplies by the screen's pixel ratio: ask for the scale wanted
  const plot =
    scale === null
      ? atOneX(drawn.scatter.frameImage(), drawn.scatter.cssWidth)
      : await drawn.scatter.exportImage(scale / (window.devicePixelRatio || 1));
  const drawnScale = plot.width / Math.max(1, drawn.scatter.cssWidth); // (what it gave)
  const labels = drawn.overlays.labelsShown();
  return composePng(plot, drawn.colors(), text, pngTheme(drawn.root), drawnScale, labels);
}

/** The saved picture of the final layout on screen, or null if another was drawn meanwhile. */
export async function picture(drawn: Drawn): Promise<Picture | null> {
  const seq = drawn.root.dataset.seq ?? "-1";
  const canvas = await figure(drawn, null, " · saved picture: run the cell to explore");
  const png = await new Promise<Blob | null>((done) => canvas.toBlob(done, "image/png"));
  return png && drawn.root.dataset.seq === seq ? { seq: Number(seq), png } : null;
}

/** `image` (the frame at the screen's pixel ratio) at one pixel a CSS pixel: a HiDPI screen's
 * frame would make the picture saved in the notebook four times larger. */
function atOneX(image: ImageData, cssWidth: number): ImageData {
  const width = Math.round(cssWidth);
  if (width <= 0 || image.width <= width * 1.05) return image;
  const height = Math.max(1, Math.round((image.height * width) / image.width));
  const full = document.createElement("canvas");
  full.width = image.width;
  full.height = image.height;
  full.getContext("2d")?.putImageData(image, 0, 0);
  const small = document.createElement("canvas");
  small.width = width;
  small.height = height;
  const context = small.getContext("2d");
  if (!context) return image;
  context.drawImage(full, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}
