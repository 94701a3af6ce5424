// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { StatusBar, statusText } from "../panels/status";

describe("status text", () => {
  it("names the algorithm and phase once, and the preview while it shows", () => {
    const running = {
      state: "running" as const,
      algorithm: "pca",
      phase: "principal components",
      progress: 0,
    };
    expect(statusText(running)).toBe("PCA · principal components · 0%");
    const umap = { state: "running" as const, algorithm: "umap", phase: "loading UMAP", progress: 0.02 };
    expect(statusText(umap, "preview")).toBe("UMAP · loading UMAP · 2% · showing a PCA preview");
  });

  it("says 'cached' for a result served from the cache, seconds otherwise", () => {
    expect(statusText({ state: "done", algorithm: "tsne", seconds: 0.001, info: { cached: true } })).toBe(
      "t-SNE · cached",
    );
    expect(statusText({ state: "done", algorithm: "umap", seconds: 2.5, info: { cached: false } })).toBe(
      "UMAP · 2.50 s",
    );
  });

  it("adds the share of neighbours the layout kept once it is known", () => {
    expect(statusText({ state: "done", algorithm: "umap", seconds: 2.5, quality: 0.634 })).toBe(
      "UMAP · 2.50 s · neighbours kept: 63%",
    );
  });

  it("keeps the previous view only when there is one", () => {
    expect(statusText({ state: "error", message: "NaN in row 3" }, "layout")).toBe("previous view kept");
    expect(statusText({ state: "error", message: "the table has 0 rows" }, "nothing")).toBe(
      "nothing to show yet",
    );
    const bar = new StatusBar(() => {});
    bar.show({ state: "error", message: "<b>bad</b>" }, "nothing");
    expect(bar.element.querySelector("b")).toBeNull();
    expect(bar.element.textContent).toContain("<b>bad</b>");
  });

  it("says how many rows were placed without a refit, and offers one", () => {
    const refits: number[] = [];
    const bar = new StatusBar(() => refits.push(1));
    const refit = bar.element.querySelector<HTMLButtonElement>(".ew-refit");
    const info = { placed: { fitted: 1500, placed: 297, method: "UMAP transform" } };
    bar.show({ state: "done", algorithm: "umap", seconds: 0.12, info });
    expect(bar.element.textContent).toContain("UMAP · 0.12 s · 297 new rows placed (ringed), not fitted");
    expect(refit?.hidden).toBe(false);
    refit?.click();
    expect(refits).toEqual([1]);
    bar.show({ state: "done", algorithm: "umap", seconds: 2.5, info: {} });
    expect(refit?.hidden).toBe(true);
    bar.show({ state: "running", algorithm: "umap", info });
    expect(refit?.hidden).toBe(true);
  });
});
