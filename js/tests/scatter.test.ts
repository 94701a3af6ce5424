// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from "vitest";

// regl-scatterplot needs WebGL: stand-ins record what the wrapper asks of the shared renderer.
const fake = vi.hoisted(() => {
  class Renderer {
    isDestroyed = false;
    constructor(readonly canvas: HTMLCanvasElement) {}
    resize(width: number, height: number): void {
      this.canvas.width = width * window.devicePixelRatio;
      this.canvas.height = height * window.devicePixelRatio;
    }
    refresh(): void {}
    destroy(): void {
      this.isDestroyed = true;
    }
  }
  return { Renderer, renderers: [] as Renderer[], scaleBounds: [] as number[][][] };
});

vi.mock("regl-scatterplot", () => ({
  createRenderer: (options: { canvas?: HTMLCanvasElement }) => {
    if (!options?.canvas) throw new Error("the renderer must get a canvas of its own");
    const renderer = new fake.Renderer(options.canvas);
    fake.renderers.push(renderer);
    return renderer;
  },
  default: () => ({
    set: async () => {},
    subscribe: () => {},
    destroy: () => {},
    get: () => ({ setScaleBounds: (bounds: number[][]) => fake.scaleBounds.push(bounds) }),
  }),
}));

const { Scatter } = await import("../plot/scatter");

function box(width: number, height: number): HTMLElement {
  const element = document.createElement("div");
  element.getBoundingClientRect = () => ({ width, height }) as DOMRect;
  return element;
}

const events = { onHover: () => {}, onSelect: () => {} };

describe("shared renderer", () => {
  beforeEach(() => {
    fake.renderers.length = 0;
  });

  it("is as large as the largest plot on the page, not the window", () => {
    const a = new Scatter(box(300, 200), events);
    const b = new Scatter(box(500, 100), events);
    expect(fake.renderers).toHaveLength(1);
    const { canvas } = fake.renderers[0];
    expect([canvas.width, canvas.height]).toEqual([500, 200]);
    b.resize(200, 100);
    expect([canvas.width, canvas.height]).toEqual([300, 200]);
    a.destroy();
    expect([canvas.width, canvas.height]).toEqual([200, 100]);
    b.destroy();
    expect(fake.renderers[0].isDestroyed).toBe(true);
    new Scatter(box(50, 40), events).destroy();
    expect(fake.renderers).toHaveLength(2);
  });

  it("keeps the device pixels of a fractional CSS size, as the plot's own canvas does", () => {
    const plot = new Scatter(box(759.5, 462.25), events);
    const { canvas } = fake.renderers[0];
    expect([canvas.width, canvas.height]).toEqual([759, 462]);
    plot.destroy();
  });
});

describe("zoom limits", () => {
  it("never zooms out past a quarter of the fitted view", () => {
    const scatter = new Scatter(box(400, 300), events);
    expect(fake.scaleBounds.at(-1)).toEqual([
      [0.25, Number.POSITIVE_INFINITY],
      [0.25, Number.POSITIVE_INFINITY],
    ]);
    scatter.destroy();
  });
});
