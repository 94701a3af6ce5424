import { describe, expect, it } from "vitest";
import { drawablePositions, interpolate } from "../plot/palette";

const VIRIDIS = [
  "#440154",
  "#472c7a",
  "#3b518b",
  "#2c718e",
  "#21908d",
  "#27ad81",
  "#5cc863",
  "#aadc32",
  "#fde725",
];

describe("palette", () => {
  it("interpolates a colormap's stops, ends included", () => {
    const colors = interpolate(VIRIDIS, 256);
    expect(colors).toHaveLength(256);
    expect(colors[0]).toBe("#440154");
    expect(colors[255]).toBe("#fde725");
    expect(new Set(colors).size).toBeGreaterThan(200);
    expect(interpolate(["#000000", "#ffffff"], 3)).toEqual(["#000000", "#808080", "#ffffff"]);
  });

  it("keeps positions in [0, 1] and sends missing ones to 0", () => {
    const drawn = drawablePositions(new Float32Array([0, 0.5, 1, 1.5, Number.NaN]));
    expect(Array.from(drawn)).toEqual([0, 0.5, 1, 1, 0]);
  });
});
