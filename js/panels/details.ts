// The details panel: one row pinned (a click on a point), every value in full, its image larger,
// its index and its nearest rows in the original space (a click on one moves there). Escape, the
// close button or a click elsewhere unpins it. Values are text.
import { el, option } from "../dom";
import type { DetailsReply, Neighbor } from "../protocol/messages";

/** The pinned row and its neighbours (nearest first), or null once unpinned. */
export type FocusFn = (focus: { index: number; neighbors: number[] } | null) => void;

export class DetailsPanel {
  readonly element = el("div", "ew-details");
  private pinned: number | null = null;
  private imageUrl: string | null = null;

  constructor(
    private readonly request: (index: number, metric?: string) => void,
    private readonly onFocus: FocusFn = () => {},
    private readonly onMetric: (metric: string) => void = () => {},
  ) {
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
    if (reply.neighbors)
      parts.push(this.neighborList(reply.neighbors, reply.metric ?? "", reply.metrics ?? []));
    if (reply.neighbors_error) parts.push(el("div", "ew-details-error", reply.neighbors_error));
    this.element.replaceChildren(...parts);
    this.element.hidden = false;
    this.onFocus({ index: reply.index, neighbors: (reply.neighbors ?? []).map((n) => n.index) });
  }

  private neighborList(neighbors: Neighbor[], metric: string, metrics: string[]): HTMLElement {
    const section = el("div", "ew-details-neighbors");
    const subtitle = el("div", "ew-details-subtitle", "nearest in the original space ");
    const choice = el("select", "ew-neighbor-metric");
    choice.setAttribute("aria-label", "neighbour metric");
    choice.append(...(metrics.length ? metrics : [metric]).map((m) => option(m, m, m === metric)));
    choice.addEventListener("change", () => {
      this.onMetric(choice.value);
      if (this.pinned !== null) this.request(this.pinned, choice.value);
    });
    subtitle.appendChild(choice);
    section.appendChild(subtitle);
    const list = el("ol");
    for (const neighbor of neighbors) {
      const item = el("li");
      const go = el("button", "ew-neighbor", neighbor.label);
      go.type = "button";
      go.dataset.index = String(neighbor.index);
      go.title = `row ${neighbor.index}: show its details and neighbours`;
      go.addEventListener("click", () => this.pin(neighbor.index));
      item.append(go, el("span", "ew-distance", formatDistance(neighbor.distance)));
      list.appendChild(item);
    }
    section.appendChild(list);
    return section;
  }

  dispose(): void {
    this.clear();
  }

  private clear(): void {
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
    this.imageUrl = null;
    this.element.replaceChildren();
    this.element.hidden = true;
    if (this.pinned === null) this.onFocus(null);
  }
}

function formatDistance(d: number): string {
  return d === 0 ? "0" : Math.abs(d) >= 0.01 && Math.abs(d) < 1e4 ? d.toFixed(3) : d.toExponential(2);
}
