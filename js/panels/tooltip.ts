// The hover tooltip: a row's values and image, fetched from the kernel on demand. At most one
// request is in flight; moving on while it runs only replaces the one queued after it.
import { el } from "../dom";
import type { RowReply } from "../protocol/messages";

/** Pixels between the point and the tooltip's corner. */
const OFFSET = 14;

/** Rows kept for re-hovering; the oldest go first. */
export const CACHE_ROWS = 500;

interface RowDetails {
  values: [string, string][];
  imageUrl: string | null;
}

export class Tooltip {
  readonly element = el("div", "ew-tooltip");
  private cache = new Map<number, RowDetails>();
  private inFlight: number | null = null;
  private wanted: number | null = null;
  private position: [number, number] = [0, 0];

  constructor(private readonly request: (index: number) => void) {
    this.element.hidden = true;
  }

  /** Show row `index` near (x, y) in the plot's pixels; null hides the tooltip. */
  hover(index: number | null, x = 0, y = 0): void {
    this.wanted = index;
    this.position = [x, y];
    if (index === null) {
      this.element.hidden = true;
      return;
    }
    const known = this.cache.get(index);
    if (known) {
      this.render(index, known);
      return;
    }
    this.element.hidden = true; // never show the previous row's values for this point
    if (this.inFlight === null) this.send(index);
  }

  receive(reply: RowReply, buffers: DataView[]): void {
    if (reply.values) {
      const image = reply.image && buffers[0] ? imageUrl(buffers[0]) : null;
      this.cache.set(reply.index, { values: reply.values, imageUrl: image });
      this.evict();
    }
    this.inFlight = null;
    const wanted = this.wanted;
    if (wanted === null) return;
    const known = this.cache.get(wanted);
    if (known) this.render(wanted, known);
    else if (wanted !== reply.index) this.send(wanted);
  }

  /** Forget cached rows (the table, colour or image column changed). */
  clear(): void {
    for (const details of this.cache.values()) if (details.imageUrl) URL.revokeObjectURL(details.imageUrl);
    this.cache.clear();
  }

  private evict(): void {
    while (this.cache.size > CACHE_ROWS) {
      const [oldest, details] = this.cache.entries().next().value as [number, RowDetails];
      if (details.imageUrl) URL.revokeObjectURL(details.imageUrl);
      this.cache.delete(oldest);
    }
  }

  private send(index: number): void {
    this.inFlight = index;
    this.request(index);
  }

  private render(index: number, details: RowDetails): void {
    const children: HTMLElement[] = [];
    if (details.imageUrl) {
      const image = el("img", "ew-tooltip-image");
      image.src = details.imageUrl;
      image.alt = `row ${index}`;
      children.push(image);
    }
    const table = el("table");
    for (const [name, value] of [["row", String(index)], ...details.values]) {
      // a long name is cut short on screen (the details panel has it whole): the value needs room
      const label = el("th");
      label.appendChild(el("span", undefined, name));
      const row = el("tr");
      row.append(label, el("td", undefined, value));
      table.appendChild(row);
    }
    children.push(table);
    this.element.replaceChildren(...children);
    this.element.hidden = false;
    this.place();
  }

  /** Beside the point, flipped to its left / above it where it would leave the plot. */
  private place(): void {
    const [x, y] = this.position;
    const plot = this.element.parentElement;
    const width = this.element.offsetWidth;
    const height = this.element.offsetHeight;
    let left = x + OFFSET;
    let top = y + OFFSET;
    if (plot) {
      if (left + width > plot.clientWidth) left = Math.max(0, x - OFFSET - width);
      if (top + height > plot.clientHeight) top = Math.max(0, y - OFFSET - height);
    }
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }
}

/** A URL of the image in `view` (PNG from the kernel; PNG or WebP in a saved page: the browser
 * reads which from the bytes). */
function imageUrl(view: DataView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
  return URL.createObjectURL(new Blob([bytes]));
}
