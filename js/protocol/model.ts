// The synced traits, 1:1 with embed_widget/widget.py (same snake_case names).
import type { AnyModel } from "@anywidget/types";

export type Kind = "embedding" | "numeric" | "categorical" | "text" | "image";

export interface ColumnInfo {
  name: string;
  kind: Kind;
}

export interface ParamSpec {
  name: string;
  label?: string;
  type: "int" | "float" | "choice";
  min?: number;
  max?: number;
  step?: number;
  options?: (string | number)[];
  default: unknown;
  /** null is allowed and shown with this label ("auto", "off"). */
  nullable?: string;
  help?: string;
}

export interface AlgorithmSchema {
  label: string;
  params: ParamSpec[];
}

export type Schema = Record<string, AlgorithmSchema>;

export interface Status {
  state?: "running" | "done" | "error" | "idle";
  phase?: string;
  progress?: number;
  message?: string;
  notices?: string[];
  info?: Record<string, unknown>;
  algorithm?: string;
  seq?: number;
  seconds?: number;
}

export interface Layout {
  coords?: DataView;
  final?: boolean;
  seq?: number;
  n?: number;
}

export type Colors =
  | { kind: "none"; column: null }
  | {
      kind: "categorical";
      column: string;
      codes: DataView;
      categories: string[];
      counts: number[];
    }
  | { kind: "continuous"; column: string; values: DataView; min: number; max: number };

export interface Traits {
  algorithm: string;
  params: Record<string, unknown>;
  embedding: string[];
  color_by: string | null;
  image_column: string | null;
  selection: DataView;
  status: Status;
  _schema: Schema;
  _columns: ColumnInfo[];
  _layout: Layout;
  _colors: Colors;
}

export type Model = AnyModel<Traits>;
