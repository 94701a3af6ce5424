// A stand-in anywidget for the harness smoke tests: it carries the real widget's DOM hooks
// (.embed-widget, .ew-canvas, .ew-legend-item, .ew-status, .ew-progress, .ew-error,
// select[data-control], input[data-param]) and draws a square in hue `value` with WebGL into an
// offscreen canvas, copied onto a visible 2D canvas as regl-scatterplot does.

function rgb(h) {
  // hue in degrees -> rgb in 0..1 (full saturation, half lightness)
  const f = (n) => {
    const k = (n + h / 30) % 12;
    return 0.5 - 0.5 * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "embed-widget";
  root.innerHTML = `
    <select data-control="color_by">
      <option value="0">red</option><option value="120">green</option><option value="240">blue</option>
    </select>
    <input type="range" data-param="hue" min="0" max="359" step="1">
    <div class="ew-status"></div>
    <div class="ew-progress" style="display:none">working</div>
    <div class="ew-error" style="display:none"></div>
    <div class="ew-canvas"></div>
    <div class="ew-legend">
      <span class="ew-legend-item">red</span><span class="ew-legend-item">green</span><span class="ew-legend-item">blue</span>
    </div>`;
  const q = (s) => root.querySelector(s);
  const glCanvas = document.createElement("canvas");
  glCanvas.width = glCanvas.height = 120;
  const gl = glCanvas.getContext("webgl2");
  const canvas = document.createElement("canvas");
  canvas.className = "ew-scatter";
  canvas.width = canvas.height = 120;
  q(".ew-canvas").append(canvas);
  let timer = 0;

  const draw = () => {
    const v = model.get("value");
    q(".ew-status").textContent = gl ? `webgl2 hue ${v}` : "no webgl2";
    q("[data-param=hue]").value = String(v);
    const bad = v < 0 || v > 359;
    q(".ew-error").style.display = bad ? "" : "none";
    q(".ew-error").textContent = bad ? `hue ${v} is out of range 0..359` : "";
    if (!gl || bad) return; // an invalid value keeps the previous picture
    q(".ew-progress").style.display = "";
    clearTimeout(timer);
    timer = setTimeout(() => {
      q(".ew-progress").style.display = "none";
    }, 150);
    gl.disable(gl.SCISSOR_TEST);
    gl.clearColor(1, 1, 1, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(20, 20, 80, 80);
    gl.clearColor(...rgb(v), 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    // copy in the same task, so the WebGL canvas needs no preserveDrawingBuffer
    canvas.getContext("2d").drawImage(glCanvas, 0, 0);
  };
  const set = (v) => {
    model.set("value", v);
    model.save_changes();
  };
  q("[data-control=color_by]").addEventListener("change", (e) => set(Number(e.target.value)));
  q("[data-param=hue]").addEventListener("change", (e) => set(Number(e.target.value)));
  canvas.addEventListener("click", () => {
    model.set("clicks", model.get("clicks") + 1);
    model.save_changes();
  });
  model.on("change:value", draw);
  draw();
  el.append(root);
  return () => {
    model.off("change:value", draw);
    clearTimeout(timer);
  };
}

export default { render };
