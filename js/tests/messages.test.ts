import { describe, expect, it } from "vitest";
import { isCsvReply, isRowReply } from "../protocol/messages";

describe("message guards", () => {
  it("recognise row and csv replies only", () => {
    expect(isRowReply({ type: "row", index: 3, values: [] })).toBe(true);
    expect(isRowReply({ type: "row" })).toBe(false);
    expect(isRowReply(null)).toBe(false);
    expect(isCsvReply({ type: "csv", filename: "a.csv" })).toBe(true);
    expect(isCsvReply({ type: "row", index: 1 })).toBe(false);
  });
});
