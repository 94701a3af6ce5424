// The column and algorithm pickers above the plot. Each reads and writes one trait.
import { debounce, el, option } from "../dom";
import type { ColumnInfo, Role, Schema } from "../protocol/model";

export const EMBEDDING_DEBOUNCE_MS = 400;

function labelled(text: string, control: HTMLElement): HTMLElement {
  const root = el("label", "ew-control");
  root.append(el("span", "ew-control-name", text), control);
  return root;
}

export interface Picker {
  element: HTMLElement;
  show(value: unknown): void;
  dispose(): void;
}

/** A dropdown over `choices` (value, label); `null` values are allowed as "none". */
export function selectPicker(
  name: string,
  title: string,
  choices: [string | null, string][],
  value: string | null,
  commit: (value: string | null) => void,
): Picker {
  const select = el("select");
  select.dataset.control = name;
  select.append(...choices.map(([v, label]) => option(v ?? "", label)));
  const show = (v: unknown) => {
    select.value = typeof v === "string" ? v : "";
  };
  show(value);
  const onChange = () => commit(select.value === "" ? null : select.value);
  select.addEventListener("change", onChange);
  return {
    element: labelled(title, select),
    show,
    dispose: () => select.removeEventListener("change", onChange),
  };
}

export function algorithmPicker(schema: Schema, value: string, commit: (v: string) => void): Picker {
  const choices: [string, string][] = Object.entries(schema).map(([key, s]) => [key, s.label]);
  return selectPicker("algorithm", "algorithm", choices, value, (v) => v && commit(v));
}

/** A dropdown over the columns that can take `role` (decided in Python), with `none` first. */
function columnPicker(
  control: string,
  title: string,
  none: string,
  role: Role,
  columns: ColumnInfo[],
  value: string | null,
  commit: (v: string | null) => void,
): Picker {
  const usable = columns.filter((c) => c.roles.includes(role));
  const choices: [string | null, string][] = [
    [null, none],
    ...usable.map((c): [string, string] => [c.name, c.name]),
  ];
  return selectPicker(control, title, choices, value, commit);
}

export function colorPicker(
  columns: ColumnInfo[],
  value: string | null,
  commit: (v: string | null) => void,
): Picker {
  return columnPicker("color_by", "colour by", "none", "color", columns, value, commit);
}

export function imagePicker(
  columns: ColumnInfo[],
  value: string | null,
  commit: (v: string | null) => void,
): Picker {
  const picker = columnPicker("image_column", "hover image", "none", "image", columns, value, commit);
  picker.element.hidden = !columns.some((c) => c.roles.includes("image"));
  return picker;
}

/** Which columns form the embedding: a vector column, numeric columns, or a mix. */
export function embeddingPicker(
  columns: ColumnInfo[],
  value: string[],
  commit: (v: string[]) => void,
): Picker {
  const candidates = columns.filter((c) => c.roles.includes("embedding"));
  const root = el("details", "ew-embedding");
  root.dataset.control = "embedding";
  const summary = el("summary");
  const list = el("div", "ew-embedding-list");
  const boxes = candidates.map((column) => {
    const box = el("input");
    box.type = "checkbox";
    box.value = column.name;
    const row = el("label", "ew-embedding-row");
    row.append(box, el("span", undefined, column.name), el("span", "ew-kind", column.kind));
    list.appendChild(row);
    return box;
  });
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value);
  const describe = (names: string[]) => {
    const head = names.slice(0, 3).join(", ");
    summary.textContent = `embedding: ${names.length === 0 ? "none" : head}${names.length > 3 ? `, … (${names.length} columns)` : ""}`;
  };
  const later = debounce(() => commit(chosen()), EMBEDDING_DEBOUNCE_MS);
  const onChange = () => {
    describe(chosen());
    later.call();
  };
  list.addEventListener("change", onChange);
  const allNumeric = el("button", "ew-small", "all numeric");
  allNumeric.type = "button";
  allNumeric.addEventListener("click", () => {
    for (const [i, box] of boxes.entries()) box.checked = candidates[i].kind === "numeric";
    onChange();
  });
  const none = el("button", "ew-small", "none");
  none.type = "button";
  none.addEventListener("click", () => {
    for (const box of boxes) box.checked = false;
    onChange();
  });
  const actions = el("div", "ew-embedding-actions");
  actions.append(allNumeric, none);
  root.append(summary, actions, list);
  const show = (v: unknown) => {
    const names = new Set(Array.isArray(v) ? (v as string[]) : []);
    for (const box of boxes) box.checked = names.has(box.value);
    describe(chosen());
  };
  show(value);
  return {
    element: root,
    show,
    dispose: () => {
      later.cancel();
      list.removeEventListener("change", onChange);
    },
  };
}

/** How a numeric colour maps onto the colormap; shown only while one colours the points. */
export function scalePicker(scales: string[], value: string, commit: (v: string) => void): Picker {
  const choices: [string, string][] = scales.map((s) => [s, s]);
  const picker = selectPicker("color_scale", "scale", choices, value, (v) => v && commit(v));
  picker.element.hidden = scales.length === 0;
  return picker;
}

/** Which column the selection list shows; null lists row numbers. */
export function selectionColumnPicker(
  columns: ColumnInfo[],
  value: string | null,
  commit: (v: string | null) => void,
): Picker {
  return columnPicker("selection_column", "list", "row number", "label", columns, value, commit);
}

/** Which column names the clusters on the map; null lets Python choose ("auto"). */
export function labelColumnPicker(
  columns: ColumnInfo[],
  value: string | null,
  commit: (v: string | null) => void,
): Picker {
  return columnPicker("label_column", "labels from", "auto", "label", columns, value, commit);
}
