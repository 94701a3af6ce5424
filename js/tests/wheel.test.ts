// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { WheelGate } from "../plot/wheel";

function setup() {
  const plot = document.createElement("div");
  const canvas = document.createElement("canvas");
  plot.appendChild(canvas);
  document.body.appendChild(plot);
  const zoom = vi.fn();
  canvas.addEventListener("wheel", zoom);
  return { plot, canvas, zoom, gate: new WheelGate(plot) };
}

describe("wheel gate", () => {
  it("lets the page scroll, with a hint, until the plot is clicked", () => {
    const { plot, canvas, zoom, gate } = setup();
    canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: 100, bubbles: true }));
    expect(zoom).not.toHaveBeenCalled();
    expect(gate.hint.hidden).toBe(false);
    canvas.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    expect(plot.classList.contains("ew-active")).toBe(true);
    canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: 100, bubbles: true }));
    expect(zoom).toHaveBeenCalledTimes(1);
    document.body.dispatchEvent(new MouseEvent("mousedown", { bubbles: true })); // elsewhere
    canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: 100, bubbles: true }));
    expect(zoom).toHaveBeenCalledTimes(1);
    gate.dispose();
  });

  it("zooms with Ctrl held, and Escape ends the plot's turn", () => {
    const { canvas, zoom, gate } = setup();
    const withCtrl = new WheelEvent("wheel", { deltaY: 100, bubbles: true });
    Object.defineProperty(withCtrl, "ctrlKey", { value: true }); // (happy-dom drops it from the init)
    canvas.dispatchEvent(withCtrl);
    expect(zoom).toHaveBeenCalledTimes(1);
    canvas.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(gate.isActive).toBe(false);
    gate.dispose();
  });
});
