// Small DOM helpers. Text from the data always goes through textContent, never innerHTML.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function option(value: string, label: string, selected = false): HTMLOptionElement {
  const node = el("option", undefined, label);
  node.value = value;
  node.selected = selected;
  return node;
}

/** Run `fn` once `ms` have passed without another call; `flush` runs a pending call now. */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): { call: (...args: A) => void; flush: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending) {
      const args = pending;
      pending = undefined;
      fn(...args);
    }
  };
  return {
    call: (...args: A) => {
      pending = args;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, ms);
    },
    flush,
    cancel: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}

/** Save `url` as `filename` (a blob URL is revoked once the download began, if `revoke`). */
export function download(url: string, filename: string, revoke: boolean): void {
  const link = el("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  if (revoke) setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A canvas layer over the plot, sized to its box in device pixels and cleared: its context
 * (drawing in CSS pixels), its CSS size and the pixel ratio; null without a 2D context. */
export function clearedLayer(
  canvas: HTMLCanvasElement,
): { context: CanvasRenderingContext2D; width: number; height: number; dpr: number } | null {
  const { width, height } = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const context = canvas.getContext("2d");
  if (!context) return null;
  context.setTransform(dpr, 0, 0, dpr, 0, 0);
  context.clearRect(0, 0, width, height);
  return { context, width, height, dpr };
}
