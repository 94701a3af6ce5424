// The saved HTML page's entry point (embed_widget/widget/share.py): the same App as in the
// notebook, on a model without a kernel, with where the picture comes from above it. Built as a
// classic script (a global `EmbedWidgetStandalone`), so the page runs from file:// as it is.
import { App } from "./app";
import { el } from "./dom";
import { OfflineModel, type Packed, unpack } from "./offline/model";
import type { Model } from "./protocol/model";

/** Show the saved picture in `root`; returns the cleanup. */
export function show(packed: Packed, root: HTMLElement): () => void {
  const snapshot = unpack(packed);
  const model = new OfflineModel(snapshot.state, snapshot.rows, snapshot.images) as unknown as Model;
  const app = new App(model);
  app.root.classList.add("ew-saved"); // what needs the kernel is hidden (styles.css)
  root.append(about(snapshot.about), app.root);
  app.start();
  return () => app.dispose();
}

/** The provenance: algorithm, parameters, embedding, library versions, date (all as text). */
export function about(facts: Record<string, unknown>): HTMLElement {
  const box = el("details", "ew-about");
  const names: Record<string, string> = { pca: "PCA", umap: "UMAP", tsne: "t-SNE" };
  const algorithm = String(facts.algorithm ?? "");
  const rows = Number(facts.rows ?? 0).toLocaleString("en-US");
  box.append(
    el("summary", undefined, `${names[algorithm] ?? algorithm} of ${rows} rows, saved ${facts.date ?? ""}`),
  );
  const list = el("dl");
  for (const [name, value] of Object.entries(facts)) {
    list.append(
      el("dt", undefined, name),
      el("dd", undefined, typeof value === "string" ? value : JSON.stringify(value)),
    );
  }
  box.append(list);
  return box;
}
