// The legend: categories with their counts (click hides, shift-click isolates) or a colorbar.

import { formatNumber } from "../controls/params";
import { el } from "../dom";
import type { Colors } from "../protocol/model";

export class Legend {
  readonly element = el("div", "ew-legend");
  private hidden = new Set<number>();
  private items: HTMLElement[] = [];

  constructor(private readonly onHiddenChange: (hidden: ReadonlySet<number>) => void) {}

  show(colors: Colors): void {
    this.hidden.clear();
    this.items = [];
    if (colors.kind === "categorical")
      this.showCategories(colors.column, colors.categories, colors.counts, colors.palette);
    else if (colors.kind === "continuous")
      this.showColorbar(colors.column, colors.min, colors.max, colors.colormap);
    else this.element.replaceChildren();
    this.element.hidden = colors.kind === "none";
  }

  private showCategories(column: string, categories: string[], counts: number[], palette: string[]): void {
    const title = el("div", "ew-legend-title", column);
    this.items = categories.map((name, code) => {
      const item = el("button", "ew-legend-item");
      item.type = "button";
      item.dataset.code = String(code);
      item.title = "click: hide or show · shift-click: show only this";
      const swatch = el("span", "ew-swatch");
      swatch.style.background = palette[code] ?? "";
      item.append(
        swatch,
        el("span", "ew-legend-label", name),
        el("span", "ew-legend-count", String(counts[code] ?? 0)),
      );
      item.addEventListener("click", (event) => this.toggle(code, event.shiftKey));
      return item;
    });
    this.element.replaceChildren(title, ...this.items);
  }

  private showColorbar(column: string, min: number, max: number, colormap: string[]): void {
    const bar = el("div", "ew-colorbar");
    bar.style.background = `linear-gradient(to right, ${colormap.join(", ")})`;
    const ticks = el("div", "ew-colorbar-ticks");
    ticks.append(el("span", undefined, formatNumber(min)), el("span", undefined, formatNumber(max)));
    this.element.replaceChildren(el("div", "ew-legend-title", column), bar, ticks);
  }

  private toggle(code: number, isolate: boolean): void {
    const all = this.items.map((_, i) => i);
    if (isolate) {
      const alreadyIsolated = this.hidden.size === all.length - 1 && !this.hidden.has(code);
      this.hidden = new Set(alreadyIsolated ? [] : all.filter((i) => i !== code));
    } else if (this.hidden.has(code)) {
      this.hidden.delete(code);
    } else {
      this.hidden.add(code);
    }
    for (const [i, item] of this.items.entries()) item.classList.toggle("ew-off", this.hidden.has(i));
    this.onHiddenChange(this.hidden);
  }
}

/** 1 for every point whose category is hidden; null when nothing is hidden. */
export function hiddenMask(codes: Uint8Array, hidden: ReadonlySet<number>): Uint8Array | null {
  if (hidden.size === 0) return null;
  const mask = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) mask[i] = hidden.has(codes[i]) ? 1 : 0;
  return mask;
}
