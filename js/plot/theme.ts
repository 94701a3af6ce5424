// The notebook theme's background behind the points, followed when the user switches theme.

/** The computed `--ew-bg` of `element` (Jupyter's --jp-layout-color0) as #rrggbb. */
export function themeBackground(element: HTMLElement, fallback = "#ffffff"): string {
  const value = getComputedStyle(element).getPropertyValue("--ew-bg").trim();
  if (!value) return fallback;
  const context = document.createElement("canvas").getContext("2d");
  if (!context) return fallback;
  context.fillStyle = fallback;
  context.fillStyle = value; // a colour the canvas understands, normalised ("white" too)
  return String(context.fillStyle);
}

/** Call `onChange` whenever JupyterLab switches theme; returns the cleanup. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ["data-jp-theme-name", "data-jp-theme-light"],
  });
  return () => observer.disconnect();
}
