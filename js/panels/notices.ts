// Notices over the plot (no kernel answered yet, the kernel restarted): one of each kind at most.
import { el } from "../dom";

/** Show `text` in a notice of `kind` over `box` (once: an existing one stays). */
export function showNotice(box: HTMLElement, kind: string, text: string, role: "status" | "alert"): void {
  if (box.querySelector(`.${kind}`)) return;
  const notice = el("div", kind, text);
  notice.setAttribute("role", role);
  box.appendChild(notice);
}

export function clearNotice(box: HTMLElement, kind: string): void {
  box.querySelector(`.${kind}`)?.remove();
}
