// The steps bar (a view with `steps`): a play button and a slider through the training steps, the
// step's column, and how many steps are laid out. The kernel lays the steps out in order; a step
// already laid out shows at once, so playing waits for the next one when it is not yet there.
import { el } from "../dom";
import type { StepsState } from "../protocol/model";

/** How long each step stays on screen while playing (the move to it takes 700 ms). */
export const PLAY_STEP_MS = 1400;

export interface StepsHandlers {
  /** Show step `index` (sets the `step` trait). */
  go: (index: number) => void;
}

export class StepsBar {
  readonly element = el("div", "ew-steps");
  readonly playButton = el("button", "ew-steps-play", "▶ play");
  readonly slider = el("input", "ew-steps-slider");
  private readonly label = el("span", "ew-steps-label");
  private readonly ready = el("span", "ew-steps-ready");
  private timer: ReturnType<typeof setInterval> | undefined;
  private state: Partial<StepsState> = {};
  private step = 0;

  constructor(private readonly handlers: StepsHandlers) {
    this.element.hidden = true;
    this.slider.type = "range";
    this.slider.min = "0";
    this.slider.step = "1";
    this.slider.setAttribute("aria-label", "training step");
    this.playButton.type = "button";
    this.playButton.title = "play through the steps";
    this.slider.addEventListener("input", () => {
      this.stop();
      this.go(Number(this.slider.value));
    });
    this.playButton.addEventListener("click", () => (this.playing ? this.stop() : this.play()));
    this.element.append(this.playButton, this.slider, this.label, this.ready);
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  /** Show the steps and the step on screen (the `steps`, `step` and `_steps` traits). */
  show(steps: string[], step: number, state: Partial<StepsState> | undefined): void {
    this.state = state ?? {};
    this.step = step;
    this.element.hidden = steps.length === 0;
    if (!steps.length) {
      this.stop();
      return;
    }
    this.slider.max = String(steps.length - 1);
    this.slider.value = String(step);
    this.label.textContent = `step ${step + 1}/${steps.length} · ${steps[step] ?? ""}`;
    const ready = this.state.ready?.length ?? 0;
    this.ready.textContent =
      ready >= steps.length
        ? `all ${steps.length} laid out`
        : `${ready}/${steps.length} laid out${this.state.phase ? ` · ${this.state.phase}` : ""}`;
    this.element.dataset.ready = String(ready);
  }

  play(): void {
    const count = Number(this.slider.max) + 1;
    if (this.step >= count - 1) this.go(0); // (from the end: play again from the start)
    this.playButton.textContent = "❚❚ pause";
    this.element.dataset.playing = "true";
    this.timer = setInterval(() => this.advance(), PLAY_STEP_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.playButton.textContent = "▶ play";
    delete this.element.dataset.playing;
  }

  dispose(): void {
    this.stop();
  }

  /** One tick of play: the next step if it is laid out (else wait); stop after the last. */
  private advance(): void {
    const next = this.step + 1;
    if (next > Number(this.slider.max)) {
      this.stop();
      return;
    }
    if (this.state.ready?.includes(next)) this.go(next);
  }

  private go(index: number): void {
    this.step = index;
    this.handlers.go(index);
  }
}
