import { describe, expect, it } from "vitest";
import { fromUint32, toFloat32, toUint8, toUint32 } from "../protocol/codecs";

describe("codecs", () => {
  it("views aligned float32 bytes without copying", () => {
    const source = new Float32Array([1.5, -2, 3.25]);
    const view = new DataView(source.buffer);
    const result = toFloat32(view);
    expect(Array.from(result)).toEqual([1.5, -2, 3.25]);
    expect(result.buffer).toBe(source.buffer);
  });

  it("copies when the byte offset is not 4-aligned", () => {
    const bytes = new Uint8Array(1 + 8);
    new DataView(bytes.buffer).setFloat32(1, 7.5, true);
    new DataView(bytes.buffer).setFloat32(5, -1, true);
    const view = new DataView(bytes.buffer, 1, 8);
    expect(Array.from(toFloat32(view))).toEqual([7.5, -1]);
  });

  it("round-trips uint32 indices", () => {
    expect(Array.from(toUint32(fromUint32([0, 5, 4_000_000_000])))).toEqual([0, 5, 4_000_000_000]);
  });

  it("reads uint8 codes and treats a missing value as empty", () => {
    expect(Array.from(toUint8(new DataView(new Uint8Array([3, 0, 9]).buffer)))).toEqual([3, 0, 9]);
    expect(toFloat32(undefined).length).toBe(0);
  });
});
