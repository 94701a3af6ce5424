// The saved picture (embed_widget/widget/picture.py): once a final layout rests, the figure is
// made from the frame on screen and sent to the kernel, which keeps it in the output displayed
// right after the widget's. A notebook opened where the widget cannot render shows that output; wherever a view
// renders, its output is marked "ew-picture-owner" and the picture beside it is hidden (styles.css).

/** The picture is drawn this long after the last change (layout, colours, legend, camera). */
export const PICTURE_DELAY_MS = 1500;

export interface Picture {
  /** The final layout drawn (the kernel keeps only the one on screen). */
  seq: number;
  png: Blob;
}

/** The notebook output holding `root` when the view is an output of its own (not in a box), or
 * when it is `linked` (a view of a comparison: the grid's output shows the views' pictures). */
export function ownOutput(root: HTMLElement, linked = false): HTMLElement | null {
  const output = root.closest<HTMLElement>(".jp-OutputArea-child");
  const box = root.parentElement?.closest(".widget-box");
  return output && (linked || !(box && output.contains(box))) ? output : null;
}

export class PictureSender {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = false;
  /** Counts the pictures started: one drawn after a newer one started is not sent. */
  private started = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly draw: () => Promise<Picture | null>,
    private readonly send: (seq: number, png: ArrayBuffer) => void,
    private readonly linked: () => boolean = () => false,
  ) {}

  /** Mark this view's output (hiding the picture beside it); true when it is one of its own. */
  claim(): boolean {
    const output = ownOutput(this.root, this.linked());
    output?.classList.add("ew-picture-owner");
    return output !== null;
  }

  /** A kernel holds the view: pictures can be kept from now on. */
  connect(): void {
    this.live = true;
    this.schedule();
  }

  /** What is drawn changed: draw the picture once it rests. */
  schedule(): void {
    if (!this.live) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sendNow(), PICTURE_DELAY_MS);
  }

  /** The camera moved: a picture waiting waits longer (a move alone sends none: each picture
   * sent changes the notebook, which then asks to be saved). */
  postpone(): void {
    if (this.timer !== undefined) this.schedule();
  }

  dispose(): void {
    this.live = false;
    clearTimeout(this.timer);
    ownOutput(this.root, this.linked())?.classList.remove("ew-picture-owner"); // (shown again)
  }

  private async sendNow(): Promise<void> {
    this.timer = undefined;
    if (!this.claim() || this.root.dataset.final !== "true") return;
    const started = ++this.started;
    const picture = await this.draw();
    if (!picture || !this.live || started !== this.started) return;
    const png = await picture.png.arrayBuffer();
    if (started === this.started) this.send(picture.seq, png);
  }
}
