import { describe, expect, it } from "vitest";
import { emphasisMask, hiddenUnion } from "../plot/masks";
import { drawnColors } from "../plot/palette";

describe("emphasis", () => {
  it("singles out a clicked point and its neighbours before a search's matches", () => {
    expect(Array.from(emphasisMask(5, { index: 1, neighbors: [3] }, Uint32Array.of(0)) ?? [])).toEqual([
      0, 1, 0, 1, 0,
    ]);
    expect(Array.from(emphasisMask(4, null, Uint32Array.of(0, 2, 9)) ?? [])).toEqual([1, 0, 1, 0]);
    expect(emphasisMask(4, null, null)).toBeNull();
  });

  it("dims categories through a doubled palette", () => {
    const colors = {
      kind: "categorical" as const,
      codes: Uint8Array.of(0, 1, 1),
      palette: ["#ff0000", "#0000ff"],
    };
    const drawn = drawnColors(colors, Uint8Array.of(1, 0, 1), "#ffffff", 3);
    expect(Array.from(drawn.valueA ?? [])).toEqual([0, 3, 1]);
    expect(drawn.pointColor).toEqual(["#ff0000", "#0000ff", "#ffd1d1", "#d1d1ff"]);
    expect(drawnColors(colors, Uint8Array.of(1, 0), "#ffffff", 3).valueA).toBe(colors.codes); // wrong size
  });

  it("sends a continuous value to the same colour, or its faded twin", () => {
    const k = 256;
    const palette = Array.from({ length: k }, (_, i) => `#${i.toString(16).padStart(2, "0")}0000`);
    const values = Float32Array.of(0, 0.5, 1, 1);
    const drawn = drawnColors(
      { kind: "continuous", values, palette },
      Uint8Array.of(1, 1, 1, 0),
      "#000000",
      4,
    );
    const last = 2 * k - 1;
    // regl-scatterplot's lookup: floor(value * (colours - 1))
    const picked = Array.from(drawn.valueB ?? []).map((v) => Math.floor(v * last));
    expect(picked).toEqual([0, Math.floor(0.5 * (k - 1)), k - 1, 2 * k - 1]);
  });

  it("colours a plain plot in two codes when dimming", () => {
    const drawn = drawnColors({ kind: "none", color: "#4e79a7" }, Uint8Array.of(1, 0), "#ffffff", 2);
    expect(drawn.colorBy).toBe("valueA");
    expect(Array.from(drawn.valueA ?? [])).toEqual([0, 1]);
    expect(drawnColors({ kind: "none", color: "#4e79a7" }, null, "#ffffff", 2).colorBy).toBeNull();
  });
});

describe("hidden", () => {
  it("hides what any mask hides", () => {
    expect(Array.from(hiddenUnion(3, Uint8Array.of(1, 0, 0), Uint8Array.of(0, 0, 1)) ?? [])).toEqual([
      1, 0, 1,
    ]);
    expect(hiddenUnion(3, null, null)).toBeNull();
    expect(hiddenUnion(3, Uint8Array.of(1, 0))).toBeNull(); // a mask for other rows is ignored
  });
});
