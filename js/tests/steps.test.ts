// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PLAY_STEP_MS, StepsBar } from "../controls/steps";

const STEPS = ["emb_step0", "emb_step100", "emb_step200"];

describe("the steps bar", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("is hidden without steps and names the step shown and how many are laid out", () => {
    const bar = new StepsBar({ go: () => {} });
    bar.show([], 0, {});
    expect(bar.element.hidden).toBe(true);
    bar.show(STEPS, 1, { steps: STEPS, ready: [0, 1], progress: 0.7, phase: "step 3/3 · layout 5/100" });
    expect(bar.element.hidden).toBe(false);
    expect(bar.slider.max).toBe("2");
    expect(bar.slider.value).toBe("1");
    expect(bar.element.textContent).toContain("step 2/3 · emb_step100");
    expect(bar.element.textContent).toContain("2/3 laid out · step 3/3 · layout 5/100");
    bar.show(STEPS, 1, { steps: STEPS, ready: [0, 1, 2], progress: 1, phase: "" });
    expect(bar.element.textContent).toContain("all 3 laid out");
  });

  it("plays through the steps laid out, waits for the next one, and stops after the last", () => {
    const shown: number[] = [];
    const bar = new StepsBar({
      go: (index) => {
        shown.push(index);
        bar.show(STEPS, index, state);
      },
    });
    let state = { steps: STEPS, ready: [0, 1], progress: 0.5, phase: "" };
    bar.show(STEPS, 0, state);
    bar.playButton.click();
    expect(bar.playing).toBe(true);
    vi.advanceTimersByTime(PLAY_STEP_MS);
    expect(shown).toEqual([1]);
    vi.advanceTimersByTime(3 * PLAY_STEP_MS); // step 2 is not laid out yet: it waits
    expect(shown).toEqual([1]);
    state = { ...state, ready: [0, 1, 2] };
    bar.show(STEPS, 1, state);
    vi.advanceTimersByTime(PLAY_STEP_MS);
    expect(shown).toEqual([1, 2]);
    vi.advanceTimersByTime(PLAY_STEP_MS);
    expect(bar.playing).toBe(false); // after the last step
    bar.playButton.click(); // from the end: again from the first
    expect(shown).toEqual([1, 2, 0]);
    bar.dispose();
  });

  it("stops playing when the slider is moved, and goes to the step chosen", () => {
    const shown: number[] = [];
    const bar = new StepsBar({ go: (index) => shown.push(index) });
    bar.show(STEPS, 0, { steps: STEPS, ready: [0, 1, 2], progress: 1, phase: "" });
    bar.play();
    bar.slider.value = "2";
    bar.slider.dispatchEvent(new Event("input"));
    expect(bar.playing).toBe(false);
    expect(shown).toEqual([2]);
  });
});
