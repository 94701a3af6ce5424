// Rings over the plot around a clicked point and its nearest rows, with lines from it to them, so
// they stand out whatever is drawn over them. Re-placed whenever the camera moves.
const SVG = "http://www.w3.org/2000/svg";

export class Rings {
  readonly element = document.createElementNS(SVG, "svg");
  private focus: number | null = null;
  private neighbors: number[] = [];

  constructor(private readonly position: (index: number) => [number, number] | undefined) {
    this.element.classList.add("ew-rings");
    this.element.setAttribute("aria-hidden", "true");
  }

  /** Ring `focus` and its `neighbors` (null: none). */
  show(focus: number | null, neighbors: number[] = []): void {
    this.focus = focus;
    this.neighbors = focus === null ? [] : neighbors;
    this.place();
  }

  /** Follow the camera (call on every view change). */
  place(): void {
    if (this.focus === null && this.element.childElementCount === 0) return; // (every camera frame)
    const parts: SVGElement[] = [];
    const centre = this.focus === null ? undefined : this.position(this.focus);
    if (centre) {
      for (const index of this.neighbors) {
        const at = this.position(index);
        if (!at) continue;
        parts.push(shape("line", "ew-ring-line", { x1: centre[0], y1: centre[1], x2: at[0], y2: at[1] }));
        parts.push(shape("circle", "ew-ring ew-ring-neighbor", { cx: at[0], cy: at[1], r: 6 }, index));
      }
      parts.push(
        shape("circle", "ew-ring ew-ring-focus", { cx: centre[0], cy: centre[1], r: 9 }, this.focus),
      );
    }
    this.element.replaceChildren(...parts);
  }
}

function shape(
  tag: string,
  className: string,
  attributes: Record<string, number>,
  index?: number | null,
): SVGElement {
  const node = document.createElementNS(SVG, tag);
  node.setAttribute("class", className);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (index !== undefined && index !== null) node.setAttribute("data-index", String(index));
  return node;
}
