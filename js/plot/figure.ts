// The figure of what is on screen: the plot drawn again at a scale, the cluster labels shown, the
// legend and a caption (the PNG export at 2x; the saved picture at 1x, see picture.ts).
import type { Colors, Status } from "../protocol/model";
import { caption, composePng, pngTheme } from "./export";
import type { Overlays } from "./overlays";
import { PICTURE_SCALE, type Picture } from "./picture";
import type { Scatter } from "./scatter";

export interface Drawn {
  scatter: Scatter;
  overlays: Overlays;
  /** The widget's root: its theme, and `data-seq` of the layout drawn. */
  root: HTMLElement;
  status: () => Status;
  colors: () => Colors;
}

/** The figure at `scale` image pixels a CSS pixel, its caption ending in `note`. */
export async function figure(drawn: Drawn, scale: number, note = ""): Promise<HTMLCanvasElement> {
  const points = drawn.scatter.current?.x.length ?? 0;
  const text = caption(drawn.status(), points) + note;
  // regl-scatterplot's export multiplies by the screen's pixel ratio: ask for the scale wanted
  const plot = await drawn.scatter.exportImage(scale / (window.devicePixelRatio || 1));
  const drawnScale = plot.width / Math.max(1, drawn.scatter.cssWidth); // (what it gave)
  const labels = drawn.overlays.labelsShown();
  return composePng(plot, drawn.colors(), text, pngTheme(drawn.root), drawnScale, labels);
}

/** The saved picture of the final layout on screen, or null if another was drawn meanwhile. */
export async function picture(drawn: Drawn): Promise<Picture | null> {
  const seq = drawn.root.dataset.seq ?? "-1";
  const canvas = await figure(drawn, PICTURE_SCALE, " · saved picture: run the cell to explore");
  const png = await new Promise<Blob | null>((done) => canvas.toBlob(done, "image/png"));
  return png && drawn.root.dataset.seq === seq ? { seq: Number(seq), png } : null;
}
