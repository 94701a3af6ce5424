// anywidget entry point: only wiring. The view is built in app.ts.
import type { RenderProps } from "@anywidget/types";
import { App } from "./app";
import type { Traits } from "./protocol/model";
import "./styles.css";

function render({ model, el }: RenderProps<Traits>): () => void {
  const app = new App(model);
  el.appendChild(app.root);
  app.start(); // the plot follows its box's size through a ResizeObserver
  return () => app.dispose();
}

export default { render };
