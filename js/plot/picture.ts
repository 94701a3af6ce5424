// The saved picture (embed_widget/widget/picture.py): once a final layout rests, the figure is
// drawn at 1x and sent to the kernel, which keeps it in the output displayed right after the
// widget's. A notebook opened where the widget cannot render shows that output; wherever a view
// renders, its output is marked "ew-picture-owner" and the picture beside it is hidden (styles.css).

/** The picture is drawn this long after the last change (layout, colours, legend, camera). */
export const PICTURE_DELAY_MS = 1500;
export const PICTURE_SCALE = 1;

export interface Picture {
  /** The final layout drawn (the kernel keeps only the one on screen). */
  seq: number;
  png: Blob;
}

/** The notebook output holding `root` when the view is an output of its own (not in a box). */
export function ownOutput(root: HTMLElement): HTMLElement | null {
  const output = root.closest<HTMLElement>(".jp-OutputArea-child");
  const box = root.parentElement?.closest(".widget-box");
  return output && !(box && output.contains(box)) ? output : null;
}

export class PictureSender {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly draw: () => Promise<Picture | null>,
    private readonly send: (seq: number, png: ArrayBuffer) => void,
  ) {}

  /** Mark this view's output (hiding the picture beside it); true when it is one of its own. */
  claim(): boolean {
    const output = ownOutput(this.root);
    output?.classList.add("ew-picture-owner");
    return output !== null;
  }

  /** A kernel holds the view: pictures can be kept from now on. */
  connect(): void {
    this.live = true;
    this.schedule();
  }

  /** What is drawn changed, or the camera moved: draw the picture once it rests. */
  schedule(): void {
    if (!this.live) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sendNow(), PICTURE_DELAY_MS);
  }

  dispose(): void {
    this.live = false;
    clearTimeout(this.timer);
  }

  private async sendNow(): Promise<void> {
    if (!this.claim() || this.root.dataset.final !== "true") return;
    const picture = await this.draw();
    if (picture && this.live) this.send(picture.seq, await picture.png.arrayBuffer());
  }
}
