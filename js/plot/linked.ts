// Linked views (embed_widget/widget/compare.py): the views of one group mark the row hovered in
// any of them, and with zoom linked their cameras move together. The frontends tell each other
// directly, through a registry on the page (no kernel round trip; each widget's bundle may be a
// module of its own, so the registry lives on globalThis).
import { toInt32 } from "../protocol/codecs";
import type { LinkState } from "../protocol/model";

const SVG = "http://www.w3.org/2000/svg";
/** Radius of the ring marking the row hovered in another view, in CSS pixels. */
const MARK_RADIUS = 10;

/** What a linked view needs of its plot. */
export interface LinkTarget {
  /** The row's position in the plot's CSS pixels (undefined: not drawn). */
  position(row: number): [number, number] | undefined;
  /** Whether the row is hidden (filter, legend, subset). */
  hidden(row: number): boolean;
  camera(): ArrayLike<number>;
  /** Move the camera to `view` without telling the others again. */
  setCamera(view: ArrayLike<number>): void;
}

interface Member {
  /** Another view hovered the row with this key (null: nothing hovered). */
  mark(key: number | null): void;
  /** Another view's camera moved (zoom linked). */
  follow(view: ArrayLike<number>): void;
}

type Registry = Map<string, Set<Member>>;

function registry(): Registry {
  const page = globalThis as { __embedWidgetLinks?: Registry };
  page.__embedWidgetLinks ??= new Map();
  return page.__embedWidgetLinks;
}

export class Link implements Member {
  /** The ring over the row another view hovers. */
  readonly element = document.createElementNS(SVG, "svg");
  private group: string | null = null;
  private keys: Int32Array | null = null;
  /** key -> row, built on the first mark (keys from another table). */
  private rows: Map<number, number> | null = null;
  private zoom = false;
  private marked: number | null = null;

  constructor(private readonly target: LinkTarget) {
    this.element.classList.add("ew-linked-mark");
    this.element.setAttribute("aria-hidden", "true");
  }

  /** Join the group the kernel names (or leave it: `{}`). */
  update(state: Partial<LinkState> | undefined): void {
    this.leave();
    if (!state?.group) return;
    this.group = state.group;
    this.keys = state.keys ? toInt32(state.keys) : null;
    this.rows = null;
    this.zoom = state.zoom === true;
    const members = registry().get(state.group) ?? new Set<Member>();
    members.add(this);
    registry().set(state.group, members);
  }

  /** This view hovers `row` (null: nothing): the others mark it. */
  hovered(row: number | null): void {
    const key = row === null ? null : this.keyOf(row);
    for (const other of this.others()) other.mark(key !== null && key >= 0 ? key : null);
  }

  /** This view's camera moved (by the user): with zoom linked, the others follow. */
  moved(): void {
    if (!this.zoom) return;
    const view = Array.from(this.target.camera());
    for (const other of this.others()) other.follow(view);
  }

  mark(key: number | null): void {
    const row = key === null ? -1 : this.rowOf(key);
    this.marked = row >= 0 && !this.target.hidden(row) ? row : null;
    this.place();
  }

  follow(view: ArrayLike<number>): void {
    if (this.zoom) this.target.setCamera(view);
  }

  /** Follow the camera (every view change). */
  place(): void {
    const at = this.marked === null ? undefined : this.target.position(this.marked);
    if (!at) {
      this.element.replaceChildren();
      delete this.element.dataset.row;
      return;
    }
    const ring = document.createElementNS(SVG, "circle");
    ring.setAttribute("class", "ew-linked-ring");
    ring.setAttribute("cx", String(at[0]));
    ring.setAttribute("cy", String(at[1]));
    ring.setAttribute("r", String(MARK_RADIUS));
    this.element.replaceChildren(ring);
    this.element.dataset.row = String(this.marked); // (which row is marked: for tests and readers)
  }

  dispose(): void {
    this.leave();
  }

  private leave(): void {
    if (this.group === null) return;
    const members = registry().get(this.group);
    members?.delete(this);
    if (members?.size === 0) registry().delete(this.group);
    this.group = null;
    this.mark(null);
  }

  private others(): Member[] {
    const members = this.group === null ? undefined : registry().get(this.group);
    return members ? [...members].filter((member) => member !== this) : [];
  }

  private keyOf(row: number): number {
    if (!this.keys) return row;
    return row < this.keys.length ? this.keys[row] : -1;
  }

  private rowOf(key: number): number {
    if (!this.keys) return key;
    if (!this.rows) {
      this.rows = new Map();
      for (let row = 0; row < this.keys.length; row++) this.rows.set(this.keys[row], row);
    }
    return this.rows.get(key) ?? -1;
  }
}
