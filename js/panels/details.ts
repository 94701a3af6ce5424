// The details panel: one row pinned (a click on a point), every value in full, its image larger
// and its index. Escape, the close button or a click elsewhere unpins it. Values are text.
import { el } from "../dom";
import type { DetailsReply } from "../protocol/messages";

export class DetailsPanel {
  readonly element = el("div", "ew-details");
  private pinned: number | null = null;
  private imageUrl: string | null = null;

  constructor(private readonly request: (index: number) => void) {
    this.element.hidden = true;
    this.element.setAttribute("role", "dialog");
  }

  get index(): number | null {
    return this.pinned;
  }

  /** Pin row `index` (asks the kernel for its values); null unpins. */
  pin(index: number | null): void {
    if (index === this.pinned) return;
    this.pinned = index;
    if (index === null) {
      this.clear();
      return;
    }
    this.request(index);
  }

  receive(reply: DetailsReply, buffers: DataView[]): void {
    if (reply.index !== this.pinned) return; // an older pin's answer
    this.clear();
    const close = el("button", "ew-details-close", "×");
    close.type = "button";
    close.title = "close (Escape)";
    close.addEventListener("click", () => this.pin(null));
    const title = el("div", "ew-details-title", `row ${reply.index}`);
    const parts: HTMLElement[] = [close, title];
    if (reply.image && buffers[0]) {
      const view = buffers[0];
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
      this.imageUrl = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
      const image = el("img", "ew-details-image");
      image.src = this.imageUrl;
      image.alt = `row ${reply.index}`;
      parts.push(image);
    }
    const list = el("dl", "ew-details-values");
    for (const [name, value] of reply.values ?? [])
      list.append(el("dt", undefined, name), el("dd", undefined, value));
    if (reply.error) parts.push(el("div", "ew-details-error", reply.error));
    parts.push(list);
    this.element.replaceChildren(...parts);
    this.element.hidden = false;
  }

  dispose(): void {
    this.clear();
  }

  private clear(): void {
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
    this.imageUrl = null;
    this.element.replaceChildren();
    this.element.hidden = true;
  }
}
