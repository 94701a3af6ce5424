// The controls above the plot: the column and algorithm pickers (rebuilt when the table's columns
// change) and the algorithm's parameter controls (rebuilt when the algorithm changes). Each reads
// and writes one trait.
import { el } from "../dom";
import type { Model, Traits } from "../protocol/model";
import { type ParamControl, paramControl } from "./params";
import {
  algorithmPicker,
  colorPicker,
  embeddingPicker,
  imagePicker,
  labelColumnPicker,
  type Picker,
  scalePicker,
  selectionColumnPicker,
} from "./pickers";

type Setter = <K extends keyof Traits & string>(name: K, value: Traits[K]) => void;

export class Toolbar {
  readonly bar = el("div", "ew-toolbar");
  readonly paramsBox = el("div", "ew-params");
  private pickers = new Map<string, Picker>();
  private readonly params = new Map<string, ParamControl>();

  /** `onBuilt(listed)` gets the selection list's column picker, which lives in that list. */
  constructor(
    private readonly model: Model,
    private readonly set: Setter,
    private readonly onBuilt: (listed: HTMLElement) => void,
  ) {}

  /** Build every picker and the parameter controls from the model. */
  build(): void {
    for (const picker of this.pickers.values()) picker.dispose();
    const m = this.model;
    const columns = m.get("_columns") ?? [];
    // (choosing an algorithm: the kernel brings back its last parameters and sends them here)
    this.pickers = new Map([
      [
        "algorithm",
        algorithmPicker(m.get("_schema") ?? {}, m.get("algorithm"), (v) => this.set("algorithm", v)),
      ],
      ["embedding", embeddingPicker(columns, m.get("embedding") ?? [], (v) => this.set("embedding", v))],
      ["color_by", colorPicker(columns, m.get("color_by"), (v) => this.set("color_by", v))],
      ["color_scale", this.scalePicker()],
      ["image_column", imagePicker(columns, m.get("image_column"), (v) => this.set("image_column", v))],
      ["label_column", labelColumnPicker(columns, m.get("label_column"), (v) => this.set("label_column", v))],
    ]);
    this.bar.replaceChildren(...[...this.pickers.values()].map((p) => p.element));
    this.showLabelPicker(m.get("labels") !== false);
    const listed = selectionColumnPicker(columns, m.get("selection_column"), (v) =>
      this.set("selection_column", v),
    );
    this.pickers.set("selection_column", listed);
    this.onBuilt(listed.element);
    this.buildParams();
  }

  /** Show a trait's new value in its picker. */
  show(name: keyof Traits & string): void {
    this.pickers.get(name)?.show(this.model.get(name));
  }

  /** The scale picker again (the colour column's scales changed); the others stay as they are. */
  rebuildScale(): void {
    const old = this.pickers.get("color_scale");
    if (!old) return;
    const picker = this.scalePicker();
    old.element.replaceWith(picker.element);
    old.dispose();
    this.pickers.set("color_scale", picker);
  }

  showLabelPicker(on: boolean): void {
    const naming = this.pickers.get("label_column");
    if (naming) naming.element.hidden = !on;
  }

  buildParams(): void {
    for (const control of this.params.values()) control.dispose();
    this.params.clear();
    const spec = this.model.get("_schema")?.[this.model.get("algorithm")];
    const values = this.model.get("params") ?? {};
    for (const param of spec?.params ?? []) {
      const control = paramControl(param, values[param.name], (value) => {
        this.set("params", { ...this.model.get("params"), [param.name]: value });
      });
      this.params.set(param.name, control);
    }
    this.paramsBox.replaceChildren(...[...this.params.values()].map((c) => c.element));
    this.applyLimits();
    this.describeParams();
  }

  /** Narrow the sliders to what the data allows (an open list or a dragged slider stays). */
  applyLimits(): void {
    const maxima = this.model.get("_limits")?.max?.[this.model.get("algorithm")] ?? {};
    for (const [name, control] of this.params) control.limit(maxima[name]);
  }

  showParams(): void {
    const values = this.model.get("params") ?? {};
    for (const [name, control] of this.params) control.show(values[name]);
  }

  /** PCA's components get their explained variance once the status has it. */
  describeParams(): void {
    const status = this.model.get("status") ?? {};
    const ratios = status.info?.explained_variance_ratio;
    const labels = Array.isArray(ratios) ? ratios.map((r) => `(${(100 * Number(r)).toFixed(1)}%)`) : null;
    const sameAlgorithm = status.algorithm === this.model.get("algorithm");
    for (const control of this.params.values()) control.describe?.(sameAlgorithm ? labels : null);
  }

  dispose(): void {
    for (const picker of this.pickers.values()) picker.dispose();
    for (const control of this.params.values()) control.dispose();
  }

  private scalePicker(): Picker {
    const colors = this.model.get("_colors");
    const scales = colors?.kind === "continuous" ? colors.scales : [];
    return scalePicker(scales, this.model.get("color_scale") ?? "auto", (v) =>
      this.set("color_scale", v as Traits["color_scale"]),
    );
  }
}
