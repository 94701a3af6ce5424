// The mouse wheel scrolls the notebook, not the plot, until the user asks for the plot: a click
// on it (until a click elsewhere or Escape) or Ctrl/⌘ held. A hint says so when the wheel passes.
import { el } from "../dom";

export const HINT_MS = 1500;
export const HINT_TEXT = "click the plot, or hold Ctrl (⌘), to zoom with the wheel";

export class WheelGate {
  readonly hint = el("div", "ew-wheel-hint", HINT_TEXT);
  private active = false;
  private hintTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly plot: HTMLElement) {
    this.hint.hidden = true;
    plot.appendChild(this.hint);
    // capture phase: decided before the scatter's own wheel handler (on the canvas) runs
    this.on(plot, "wheel", (event) => this.wheel(event as WheelEvent), { capture: true, passive: true });
    this.on(plot, "mousedown", () => this.setActive(true));
    this.on(document, "mousedown", (event) => {
      if (!plot.contains(event.target as Node)) this.setActive(false);
    });
    this.on(document, "keydown", (event) => {
      if ((event as KeyboardEvent).key === "Escape") this.setActive(false);
    });
  }

  get isActive(): boolean {
    return this.active;
  }

  dispose(): void {
    clearTimeout(this.hintTimer);
    for (const cleanup of this.cleanups) cleanup();
  }

  private wheel(event: WheelEvent): void {
    if (this.active || event.ctrlKey || event.metaKey) return; // the plot zooms
    event.stopPropagation(); // the page scrolls (nothing prevents the default)
    this.hint.hidden = false;
    clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(() => {
      this.hint.hidden = true;
    }, HINT_MS);
  }

  private setActive(on: boolean): void {
    this.active = on;
    this.plot.classList.toggle("ew-active", on);
    if (on) this.hint.hidden = true;
  }

  private on(
    target: EventTarget,
    type: string,
    handler: (event: Event) => void,
    options?: AddEventListenerOptions,
  ): void {
    target.addEventListener(type, handler, options);
    this.cleanups.push(() => target.removeEventListener(type, handler, options));
  }
}
