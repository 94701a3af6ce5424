// The legend: categories with their counts (click hides, shift-click isolates, "show all" brings
// every one back) or a colorbar with the kernel's ticks and scale.

import { el } from "../dom";
import type { CategoricalColors, Colors, ContinuousColors } from "../protocol/model";

/** Members of "(other)" named in its tooltip. */
const OTHER_NAMED = 40;

export class Legend {
  readonly element = el("div", "ew-legend");
  private hidden = new Set<number>();
  private items: HTMLElement[] = [];
  private readonly showAll = el("button", "ew-legend-all", "show all");

  constructor(private readonly onHiddenChange: (hidden: ReadonlySet<number>) => void) {
    this.showAll.type = "button";
    this.showAll.hidden = true;
    this.showAll.addEventListener("click", () => this.setHidden(new Set()));
  }

  show(colors: Colors): void {
    this.hidden.clear();
    this.items = [];
    this.showAll.hidden = true;
    if (colors.kind === "categorical") this.showCategories(colors);
    else if (colors.kind === "continuous") this.showColorbar(colors);
    else this.element.replaceChildren();
    this.element.hidden = colors.kind === "none";
  }

  private showCategories(colors: CategoricalColors): void {
    const { categories, counts, palette } = colors;
    const merged = colors.other_count ?? 0;
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
      if (merged > 0 && code === categories.length - 1) item.title = otherTitle(colors.other, merged);
      item.addEventListener("click", (event) => this.toggle(code, event.shiftKey));
      return item;
    });
    const parts: HTMLElement[] = [el("div", "ew-legend-title", colors.column), ...this.items];
    if (merged > 0) {
      const note = `${merged.toLocaleString()} rarer categories merged into “${categories.at(-1)}”`;
      parts.push(el("div", "ew-legend-note", note));
    }
    this.element.replaceChildren(...parts, this.showAll);
  }

  private showColorbar(colors: ContinuousColors): void {
    const bar = el("div", "ew-colorbar");
    bar.style.background = `linear-gradient(to right, ${colors.colormap.join(", ")})`;
    const ticks = el("div", "ew-colorbar-ticks");
    for (const [position, label] of colors.ticks) {
      const tick = el("span", "ew-colorbar-tick", label);
      tick.style.left = `${(100 * position).toFixed(2)}%`;
      tick.dataset.position = String(position);
      ticks.appendChild(tick);
    }
    const scale = el("div", "ew-legend-note ew-colorbar-scale", SCALE_TEXT[colors.scale] ?? colors.scale);
    this.element.replaceChildren(el("div", "ew-legend-title", colors.column), bar, ticks, scale);
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
    this.setHidden(this.hidden);
  }

  private setHidden(hidden: Set<number>): void {
    this.hidden = hidden;
    for (const [i, item] of this.items.entries()) item.classList.toggle("ew-off", hidden.has(i));
    this.showAll.hidden = hidden.size === 0;
    this.onHiddenChange(hidden);
  }
}

const SCALE_TEXT: Record<string, string> = {
  linear: "linear scale",
  log: "log scale (skewed values)",
  quantile: "quantile scale: equal shares of points per colour",
};

function otherTitle(members: string[], merged: number): string {
  const named = members.slice(0, OTHER_NAMED).join(", ");
  const more = merged > OTHER_NAMED ? `, … and ${(merged - OTHER_NAMED).toLocaleString()} more` : "";
  return `${merged.toLocaleString()} categories merged: ${named}${more}`;
}

/** 1 for every point whose category is hidden; null when nothing is hidden. */
export function hiddenMask(codes: Uint8Array, hidden: ReadonlySet<number>): Uint8Array | null {
  if (hidden.size === 0) return null;
  const mask = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) mask[i] = hidden.has(codes[i]) ? 1 : 0;
  return mask;
}
