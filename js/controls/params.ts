// Parameter controls built from the engine's schema: a slider per number, a dropdown per choice.
// Nothing here knows any algorithm by name.
import { debounce, el, option } from "../dom";
import type { ParamSpec } from "../protocol/model";

/** Slider writes wait for this much stillness (or the release) before recomputing. */
export const SLIDER_DEBOUNCE_MS = 200;

export interface ParamControl {
  element: HTMLElement;
  /** Show a value set elsewhere (Python) without writing it back. */
  show(value: unknown): void;
  /** Label the options of an integer dropdown (e.g. explained variance per component). */
  describe?(labels: string[] | null): void;
  /** Narrow the range to what the data allows (undefined: the schema's own), in place. */
  limit(max: number | undefined): void;
  dispose(): void;
}

export function formatNumber(value: number, step = 0): string {
  if (Number.isInteger(value) && Number.isInteger(step)) return String(value);
  const digits = step > 0 ? Math.max(0, Math.ceil(-Math.log10(step))) : 2;
  return value.toFixed(Math.min(digits, 4));
}

/** Clamp to the spec's range and snap to its step (integers stay integers). */
export function coerce(spec: ParamSpec, raw: number): number {
  let value = raw;
  if (spec.min !== undefined) value = Math.max(spec.min, value);
  if (spec.max !== undefined) value = Math.min(spec.max, value);
  if (spec.type === "int") value = Math.round(value);
  return value;
}

export function paramControl(
  spec: ParamSpec,
  value: unknown,
  commit: (value: unknown) => void,
): ParamControl {
  return spec.control === "select" ? selectControl(spec, value, commit) : sliderControl(spec, value, commit);
}

function wrap(spec: ParamSpec): { root: HTMLElement; label: HTMLElement } {
  const root = el("label", "ew-param");
  root.title = spec.help ?? "";
  const label = el("span", "ew-param-name", spec.label ?? spec.name.replaceAll("_", " "));
  root.appendChild(label);
  return { root, label };
}

function selectControl(spec: ParamSpec, value: unknown, commit: (value: unknown) => void): ParamControl {
  const { root } = wrap(spec);
  const select = el("select");
  select.dataset.param = spec.name;
  let values: unknown[] = [];
  let labels: string[] | null = null;
  const choices = (max: number | undefined): unknown[] => {
    const top = Math.min(spec.max ?? 0, max ?? Number.POSITIVE_INFINITY);
    const out: unknown[] =
      spec.type === "choice"
        ? [...(spec.options ?? [])]
        : Array.from({ length: Math.max(0, top - (spec.min ?? 0) + 1) }, (_, i) => (spec.min ?? 0) + i);
    if (spec.nullable) out.unshift(null);
    return out;
  };
  // Redraw the options (new labels or a new range), keeping the chosen value where it still exists.
  const render = () => {
    const current = values[Number(select.value)];
    values = choices(max);
    select.replaceChildren(
      ...values.map((v, i) => {
        const text = v === null ? (spec.nullable ?? "none") : String(v);
        const extra = labels && v !== null ? labels[(v as number) - (spec.min ?? 0)] : undefined;
        return option(String(i), extra ? `${text} ${extra}` : text);
      }),
    );
    show(current);
  };
  function show(v: unknown): void {
    const index = values.findIndex((candidate) => candidate === (v ?? null));
    select.value = String(index >= 0 ? index : Math.max(0, values.indexOf(spec.default ?? null)));
  }
  let max: number | undefined;
  values = choices(max);
  render();
  show(value);
  const onChange = () => commit(values[Number(select.value)]);
  select.addEventListener("change", onChange);
  root.appendChild(select);
  return {
    element: root,
    show,
    describe: (newLabels) => {
      labels = newLabels;
      render();
    },
    limit: (newMax) => {
      max = newMax;
      render();
    },
    dispose: () => select.removeEventListener("change", onChange),
  };
}

function sliderControl(spec: ParamSpec, value: unknown, commit: (value: unknown) => void): ParamControl {
  const { root } = wrap(spec);
  const input = el("input");
  input.type = "range";
  input.dataset.param = spec.name;
  input.min = String(spec.min ?? 0);
  input.max = String(spec.max ?? 1);
  input.step = String(spec.step ?? (spec.type === "int" ? 1 : 0.01));
  const readout = el("span", "ew-param-value");
  let auto: HTMLInputElement | null = null;
  const later = debounce(() => commit(current()), SLIDER_DEBOUNCE_MS);

  const current = (): number | null => (auto?.checked ? null : coerce(spec, Number.parseFloat(input.value)));
  const showReadout = () => {
    const v = current();
    readout.textContent = v === null ? "" : formatNumber(v, spec.step);
    input.disabled = v === null;
  };
  const show = (v: unknown) => {
    const fallback = typeof spec.default === "number" ? spec.default : (spec.min ?? 0);
    if (auto) auto.checked = v === null || v === undefined ? spec.default === null : false;
    input.value = String(typeof v === "number" ? v : fallback);
    showReadout();
  };

  const onInput = () => {
    showReadout();
    later.call();
  };
  const onRelease = () => later.flush();
  input.addEventListener("input", onInput);
  input.addEventListener("change", onRelease);
  root.append(input, readout);

  if (spec.nullable) {
    const autoLabel = el("label", "ew-param-auto");
    auto = el("input");
    auto.type = "checkbox";
    auto.dataset.paramAuto = spec.name;
    autoLabel.append(auto, document.createTextNode(spec.nullable));
    auto.addEventListener("change", () => {
      showReadout();
      later.cancel();
      commit(current());
    });
    root.appendChild(autoLabel);
  }
  show(value);
  return {
    element: root,
    show,
    limit: (max) => {
      const top = Math.min(spec.max ?? 1, max ?? Number.POSITIVE_INFINITY);
      input.max = String(Math.max(spec.min ?? 0, top));
      showReadout();
    },
    dispose: () => {
      later.cancel();
      input.removeEventListener("input", onInput);
      input.removeEventListener("change", onRelease);
    },
  };
}
