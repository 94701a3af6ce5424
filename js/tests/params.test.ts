// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { coerce, formatNumber, paramControl, SLIDER_DEBOUNCE_MS } from "../controls/params";
import type { ParamSpec } from "../protocol/model";

const neighbours: ParamSpec = {
  name: "n_neighbors",
  type: "int",
  control: "slider",
  min: 2,
  max: 200,
  step: 1,
  default: 15,
};
const epochs: ParamSpec = {
  name: "n_epochs",
  type: "int",
  control: "slider",
  min: 50,
  max: 1000,
  step: 10,
  default: null,
  nullable: "auto",
};
const metric: ParamSpec = {
  name: "metric",
  type: "choice",
  control: "select",
  options: ["euclidean", "cosine"],
  default: "euclidean",
};

function slide(input: HTMLInputElement, value: number): void {
  input.value = String(value);
  input.dispatchEvent(new Event("input"));
}

describe("coerce and format", () => {
  it("clamps to the range and rounds integers", () => {
    expect(coerce(neighbours, 300)).toBe(200);
    expect(coerce(neighbours, 7.6)).toBe(8);
    expect(formatNumber(0.125, 0.01)).toBe("0.13");
    expect(formatNumber(15, 1)).toBe("15");
  });
});

describe("slider", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("shows the value while dragging and commits once after stillness", () => {
    const commit = vi.fn();
    const control = paramControl(neighbours, 15, commit);
    const input = control.element.querySelector("input[type=range]") as HTMLInputElement;
    expect(input.dataset.param).toBe("n_neighbors");
    slide(input, 20);
    slide(input, 25);
    slide(input, 30);
    expect(control.element.querySelector(".ew-param-value")?.textContent).toBe("30");
    expect(commit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(SLIDER_DEBOUNCE_MS + 1);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenCalledWith(30);
  });

  it("commits at once on release", () => {
    const commit = vi.fn();
    const control = paramControl(neighbours, 15, commit);
    const input = control.element.querySelector("input[type=range]") as HTMLInputElement;
    slide(input, 40);
    input.dispatchEvent(new Event("change"));
    expect(commit).toHaveBeenCalledWith(40);
    vi.advanceTimersByTime(1000);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it("shows values set elsewhere without committing", () => {
    const commit = vi.fn();
    const control = paramControl(neighbours, 15, commit);
    control.show(50);
    expect((control.element.querySelector("input") as HTMLInputElement).value).toBe("50");
    vi.advanceTimersByTime(1000);
    expect(commit).not.toHaveBeenCalled();
  });

  it("offers 'auto' for nullable parameters and commits null", () => {
    const commit = vi.fn();
    const control = paramControl(epochs, null, commit);
    const auto = control.element.querySelector("input[type=checkbox]") as HTMLInputElement;
    const range = control.element.querySelector("input[type=range]") as HTMLInputElement;
    expect(auto.checked).toBe(true);
    expect(range.disabled).toBe(true);
    auto.checked = false;
    auto.dispatchEvent(new Event("change"));
    expect(commit).toHaveBeenLastCalledWith(50);
    auto.checked = true;
    auto.dispatchEvent(new Event("change"));
    expect(commit).toHaveBeenLastCalledWith(null);
  });
});

describe("choice dropdown", () => {
  it("commits the chosen option", () => {
    const commit = vi.fn();
    const control = paramControl(metric, "cosine", commit);
    const select = control.element.querySelector("select") as HTMLSelectElement;
    expect(select.selectedOptions[0].textContent).toBe("cosine");
    select.value = "0";
    select.dispatchEvent(new Event("change"));
    expect(commit).toHaveBeenCalledWith("euclidean");
  });

  it("labels component choices, e.g. with explained variance", () => {
    const component: ParamSpec = {
      name: "x_component",
      type: "int",
      control: "select",
      min: 1,
      max: 3,
      step: 1,
      default: 1,
    };
    const control = paramControl(component, 2, vi.fn());
    control.describe?.(["(50.0%)", "(30.0%)", "(20.0%)"]);
    const labels = Array.from(control.element.querySelectorAll("option")).map((o) => o.textContent);
    expect(labels).toEqual(["1 (50.0%)", "2 (30.0%)", "3 (20.0%)"]);
    expect(
      (control.element.querySelector("select") as HTMLSelectElement).selectedOptions[0].textContent,
    ).toBe("2 (30.0%)");
  });

  it("narrows its range in place to what the data allows", () => {
    const slider = paramControl(neighbours, 15, vi.fn());
    const input = slider.element.querySelector("input[type=range]") as HTMLInputElement;
    slider.limit(49);
    expect(input.max).toBe("49");
    expect(slider.element.querySelector("input[type=range]")).toBe(input); // the same element
    slider.limit(undefined);
    expect(input.max).toBe("200");

    const component: ParamSpec = { ...neighbours, name: "x_component", control: "select", min: 1, max: 10 };
    const select = paramControl(component, 2, vi.fn());
    const element = select.element.querySelector("select") as HTMLSelectElement;
    select.limit(3);
    expect(Array.from(element.options).map((o) => o.textContent)).toEqual(["1", "2", "3"]);
    expect(element.selectedOptions[0].textContent).toBe("2"); // the choice is kept
    expect(select.element.querySelector("select")).toBe(element);
  });
});
