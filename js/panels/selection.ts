// The selection panel: how many rows are selected and a compact list of the first ones, with
// thumbnails where the table has images. The kernel sends the list whenever the selection or the
// listed column changes (it has their new values by then: no request can overtake them).
import { el } from "../dom";
import type { RowsReply } from "../protocol/messages";

export class SelectionList {
  readonly element = el("div", "ew-selection-panel");
  private readonly header = el("div", "ew-selection-header");
  private readonly count = el("span", "ew-selection");
  private picker: HTMLElement | null = null;
  private readonly list = el("div", "ew-selection-list");
  private selected = 0;
  private urls: string[] = [];

  constructor() {
    this.header.appendChild(this.count);
    this.element.append(this.header, this.list);
    this.element.hidden = true;
  }

  show(indices: ArrayLike<number>): void {
    const n = indices.length;
    this.selected = n;
    this.element.hidden = n === 0;
    this.count.textContent = n === 0 ? "" : `${n.toLocaleString()} selected`;
    if (n === 0) this.render([]);
  }

  receive(reply: RowsReply, buffers: DataView[]): void {
    if (this.selected === 0) return; // cleared since
    const urls: string[] = [];
    let next = 0;
    const items = reply.rows.map((row) => {
      const item = el("div", "ew-selection-item");
      item.title = `row ${row.index}`;
      if (row.image && buffers[next]) {
        const view = buffers[next++];
        const url = URL.createObjectURL(
          new Blob([new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice()], {
            type: "image/png",
          }),
        );
        urls.push(url);
        const image = el("img", "ew-selection-thumb");
        image.src = url;
        image.alt = row.label;
        item.appendChild(image);
      }
      item.appendChild(el("span", "ew-selection-label", row.label));
      return item;
    });
    this.render(items);
    this.urls = urls;
  }

  /** The control choosing which column the list shows (replaces the previous one). */
  setPicker(picker: HTMLElement): void {
    this.picker?.remove();
    this.picker = picker;
    this.header.appendChild(picker);
  }

  dispose(): void {
    this.render([]);
  }

  private render(items: HTMLElement[]): void {
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls = [];
    this.list.replaceChildren(...items);
  }
}
