// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ownOutput, PICTURE_DELAY_MS, type Picture, PictureSender } from "../plot/picture";

function outputWith(root: HTMLElement, inBox: boolean): HTMLElement {
  const output = document.createElement("div");
  output.className = "jp-OutputArea-child";
  const box = document.createElement("div");
  if (inBox) box.className = "widget-box";
  box.appendChild(root);
  output.appendChild(box);
  document.body.appendChild(output);
  return output;
}

describe("the saved picture", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  it("belongs to a view that is an output of its own, not one inside a box", () => {
    const own = document.createElement("div");
    const output = outputWith(own, false);
    expect(ownOutput(own)).toBe(output);
    const boxed = document.createElement("div");
    outputWith(boxed, true);
    expect(ownOutput(boxed)).toBeNull();
    expect(ownOutput(document.createElement("div"))).toBeNull(); // not in a notebook
    const compared = document.createElement("div"); // a linked view in a comparison's grid
    const grid = outputWith(compared, true);
    expect(ownOutput(compared, true)).toBe(grid);
  });

  it("is sent once the final layout rests, and only once a kernel answered", async () => {
    const root = document.createElement("div");
    const output = outputWith(root, false);
    const png = new Blob([Uint8Array.of(137, 80, 78, 71)], { type: "image/png" });
    const draw = vi.fn(async (): Promise<Picture> => ({ seq: Number(root.dataset.seq), png }));
    const sent: number[] = [];
    const sender = new PictureSender(root, draw, (seq) => sent.push(seq));
    root.dataset.final = "true";
    root.dataset.seq = "3";
    sender.schedule(); // no kernel yet (a saved notebook's view): nothing
    await vi.advanceTimersByTimeAsync(PICTURE_DELAY_MS * 2);
    expect(draw).not.toHaveBeenCalled();
    sender.connect();
    await vi.advanceTimersByTimeAsync(PICTURE_DELAY_MS / 2);
    sender.schedule(); // the camera moved: wait again
    await vi.advanceTimersByTimeAsync(PICTURE_DELAY_MS / 2 + 10);
    expect(draw).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(PICTURE_DELAY_MS);
    expect(sent).toEqual([3]);
    expect(output.classList.contains("ew-picture-owner")).toBe(true);
    root.dataset.final = "false"; // a streamed frame on screen: no picture of it
    sender.schedule();
    await vi.advanceTimersByTimeAsync(PICTURE_DELAY_MS * 2);
    expect(sent).toEqual([3]);
    sender.dispose();
  });
});
