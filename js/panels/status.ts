// Progress bar, phase text, notices and errors. Errors never clear the plot: they sit above it.
import { el } from "../dom";
import type { Status } from "../protocol/model";

export class StatusBar {
  readonly element = el("div", "ew-statusbar");
  private readonly bar = el("div", "ew-progress");
  private readonly fill = el("div", "ew-progress-fill");
  private readonly text = el("span", "ew-status");
  private readonly error = el("div", "ew-error");
  private readonly notices = el("div", "ew-notices");
  private readonly refit = el("button", "ew-button ew-refit", "refit");

  constructor(onRefit: () => void) {
    this.bar.appendChild(this.fill);
    this.bar.setAttribute("role", "progressbar");
    this.error.setAttribute("role", "alert");
    this.refit.title =
      "Fit every row again: rows placed since the fit stop being ringed, every point may move";
    this.refit.addEventListener("click", onRefit);
    this.element.append(this.bar, this.text, this.refit, this.error, this.notices);
    this.show({});
  }

  /** `drawn`: what the plot shows now (nothing, a PCA preview, or a layout of a request). */
  show(status: Status, drawn: Drawn = "layout"): void {
    const running = status.state === "running";
    this.bar.hidden = !running;
    this.fill.style.width = `${Math.round(100 * Math.min(1, Math.max(0, status.progress ?? 0)))}%`;
    this.bar.setAttribute("aria-valuenow", String(status.progress ?? 0));
    this.text.textContent = statusText(status, drawn);
    this.refit.hidden = status.state !== "done" || placedCount(status) === 0;
    this.error.hidden = status.state !== "error";
    this.error.textContent = status.state === "error" ? (status.message ?? "error") : "";
    const notices = status.notices ?? [];
    this.notices.hidden = notices.length === 0;
    this.notices.replaceChildren(...notices.map((n) => el("div", "ew-notice", n)));
  }
}

export type Drawn = "nothing" | "preview" | "layout";

const NAMES: Record<string, string> = { pca: "PCA", umap: "UMAP", tsne: "t-SNE" };

export function statusText(status: Status, drawn: Drawn = "layout"): string {
  const name = NAMES[status.algorithm ?? ""] ?? status.algorithm ?? "";
  switch (status.state) {
    case "running": {
      const preview = drawn === "preview" ? " · showing a PCA preview" : "";
      return `${name} · ${status.phase ?? "computing"} · ${Math.round(100 * (status.progress ?? 0))}%${preview}`;
    }
    case "done": {
      const kept =
        status.quality !== undefined ? ` · neighbours kept: ${Math.round(100 * status.quality)}%` : "";
      const count = placedCount(status);
      const placed = count ? ` · ${count.toLocaleString("en-US")} new rows placed (ringed), not fitted` : "";
      if (status.info?.cached === true) return `${name} · cached${kept}`;
      const took = status.seconds !== undefined ? `${status.seconds.toFixed(2)} s` : "done";
      return `${name} · ${took}${placed}${kept}`;
    }
    case "error":
      return drawn === "nothing" ? "nothing to show yet" : "previous view kept";
    case "idle":
      return status.message ?? "";
    default:
      return "";
  }
}

/** Rows placed into the finished layout without a refit (`info.placed`), or 0. */
function placedCount(status: Status): number {
  const placed = status.info?.placed as { placed?: unknown } | undefined;
  return typeof placed?.placed === "number" ? placed.placed : 0;
}
