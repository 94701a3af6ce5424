// The buttons under the plot. Each calls back into the app; toggles show their state.
import { el } from "../dom";

export interface Actions {
  resetView: () => void;
  lasso: (on: boolean) => void;
  clearSelection: () => void;
  zoomToSelection: () => void;
  projectSelection: () => void;
  allRows: () => void;
  csv: () => void;
  html: () => void;
  svg: () => void;
  png: () => void;
  labels: (on: boolean) => void;
  density: (on: boolean) => void;
}

export interface ActionBar {
  element: HTMLElement;
  /** Show a toggle's state (set from Python or another view). */
  showToggle: (name: "labels" | "density", on: boolean) => void;
  /** Say why an export failed (until the next click). */
  showError: (message: string) => void;
}

export function actionBar(actions: Actions): ActionBar {
  const element = el("div", "ew-actions");
  const error = el("span", "ew-action-error");
  error.setAttribute("role", "alert");
  const button = (name: string, text: string, title: string, onClick: (b: HTMLButtonElement) => void) => {
    const b = el("button", `ew-button ew-${name}`, text);
    b.type = "button";
    b.title = title;
    b.addEventListener("click", () => {
      error.textContent = "";
      onClick(b);
    });
    element.appendChild(b);
    return b;
  };
  const toggle = (name: string, text: string, title: string, onToggle: (on: boolean) => void) =>
    button(name, text, title, (b) => {
      const on = !b.classList.contains("ew-on");
      b.classList.toggle("ew-on", on);
      b.setAttribute("aria-pressed", String(on));
      onToggle(on);
    });
  button("reset", "reset view", "zoom and pan back to all points", actions.resetView);
  toggle("lasso", "lasso", "drag to select points (or hold shift while dragging)", actions.lasso);
  button("clear", "clear selection", "deselect all points", actions.clearSelection);
  button("zoom", "zoom to selection", "zoom the view onto the selected points", actions.zoomToSelection);
  button("isolate", "project only these", "project the selected rows on their own", actions.projectSelection);
  button("all-rows", "all rows", "project every row again", actions.allRows);
  const toggles = {
    labels: toggle("labels", "labels", "name the clusters on the map", actions.labels),
    density: toggle("density", "density", "draw density contours under the points", actions.density),
  };
  button("csv", "CSV", "download x, y and the table's columns", actions.csv);
  button("png", "PNG", "save the plot at 2x, with its legend and a caption", actions.png);
  button("svg", "SVG", "save the points as SVG, for publications (up to 50,000)", actions.svg);
  button("html", "HTML", "save the picture as one page that opens anywhere, offline", actions.html);
  element.appendChild(error);
  return {
    element,
    showError: (message) => {
      error.textContent = message;
    },
    showToggle: (name, on) => {
      toggles[name].classList.toggle("ew-on", on);
      toggles[name].setAttribute("aria-pressed", String(on));
    },
  };
}
