import { describe, expect, it } from "vitest";
import { caption } from "../plot/export";

describe("png caption", () => {
  it("names the algorithm, its key parameters and the number of points", () => {
    const status = {
      state: "done" as const,
      algorithm: "umap",
      params: {
        n_neighbors: 15,
        min_dist: 0.1,
        spread: 1,
        metric: "cosine",
        n_epochs: null,
        random_state: 42,
      },
    };
    expect(caption(status, 1797)).toBe(
      "UMAP · n_neighbors 15 · min_dist 0.1 · metric cosine · random_state 42 · 1,797 points",
    );
    expect(caption({}, 3)).toBe("3 points");
  });
});
