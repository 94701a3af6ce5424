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
  const isSmallIntRange =
    spec.type === "int" && spec.min !== undefined && spec.max !== undefined && spec.max - spec.min < 12;
  if (spec.type === "choice" || (isSmallIntRange && /component/.test(spec.name))) {
    return selectControl(spec, value, commit);
  }
  return sliderControl(spec, value, commit);
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
  const values: unknown[] =
    spec.type === "choice"
      ? [...(spec.options ?? [])]
      : Array.from({ length: (spec.max ?? 0) - (spec.min ?? 0) + 1 }, (_, i) => (spec.min ?? 0) + i);
  if (spec.nullable) values.unshift(null);
  const render = (labels: string[] | null) => {
    const current = select.value;
    select.replaceChildren(
      ...values.map((v, i) => {
        const text = v === null ? (spec.nullable ?? "none") : String(v);
        const extra = labels && v !== null ? labels[(v as number) - (spec.min ?? 0)] : undefined;
        return option(String(i), extra ? `${text} ${extra}` : text);
      }),
    );
    select.value = current;
  };
  render(null);
  const show = (v: unknown) => {
    const index = values.findIndex((candidate) => candidate === (v ?? null));
    select.value = String(index >= 0 ? index : values.indexOf(spec.default ?? null));
  };
  show(value);
  const onChange = () => commit(values[Number(select.value)]);
  select.addEventListener("change", onChange);
  root.appendChild(select);
  return {
    element: root,
    show,
    describe: render,
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
    dispose: () => {
      later.cancel();
      input.removeEventListener("input", onInput);
      input.removeEventListener("change", onRelease);
    },
  };
}
