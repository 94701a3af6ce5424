import { describe, expect, it } from "vitest";
import { CATEGORICAL, categoricalColor, scaleValues, viridis } from "../plot/palette";

describe("palette", () => {
  it("has 20 distinct categorical colours and wraps past them", () => {
    expect(new Set(CATEGORICAL).size).toBe(20);
    expect(categoricalColor(21)).toBe(CATEGORICAL[1]);
  });

  it("samples viridis from dark purple to yellow", () => {
    const colors = viridis(256);
    expect(colors).toHaveLength(256);
    expect(colors[0]).toBe("#440154");
    expect(colors[255]).toBe("#fde725");
    expect(new Set(colors).size).toBeGreaterThan(200);
  });

  it("scales values into [0, 1] and sends non-finite values to 0", () => {
    const scaled = scaleValues(new Float32Array([10, 15, 20, 25, Number.NaN]), 10, 20);
    expect(Array.from(scaled)).toEqual([0, 0.5, 1, 1, 0]);
  });
});
