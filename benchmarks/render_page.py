"""The in-page instrumentation of benchmarks/render.py (JavaScript run by Playwright).

A frame is recorded when a widget's picture reaches a visible canvas inside a notebook output,
timed when its pixels are done: right after the call, a 1-pixel read back waits for the GPU work
of that frame, the same for every widget.

- ``mode = '2d'`` (embed_widget, jupyter-scatter): both render with regl-scatterplot into an
  offscreen WebGL canvas and copy each frame onto a visible 2D canvas with ``drawImage``, which
  is wrapped. Until the first coloured frame, each frame's pixels are read back and looked at.
- ``mode = 'webgl'`` (embedding-atlas 0.22): it draws into its own visible WebGL 2 canvas, inside
  a shadow root; its frame's last pass draws to the default framebuffer, so ``bindFramebuffer``
  and the draw calls are wrapped, and a frame is the draw calls to the default framebuffer made
  in one task (closed in a microtask). A frame is coloured when it drew points with the category
  attribute (location 2) on, in the bound vertex array: reading back its pixels at 1M would take
  longer than the frame (session 13's helper checked this rule against the pixels' hues).

"Painted" means >= 20 pixels (of every 4th) differ from the first pixel; "coloured" (2D canvas)
means the saturated pixels fall into >= 4 hue bins of 10 degrees holding >= 1 % each (the data
has 8 or 10 categories; a one-colour picture has 1 or 2).
"""

# ruff: noqa: E501  (JavaScript)

INIT_JS = r"""
(() => {
  const B = window.__bench = {
    armed: false, mode: '2d', n: 0, t0: null, draws: [], wheels: [], layouts: [],
    firstPaint: null, firstColoured: null, firstFinal: null, size: null, canvas: null,
  };
  const inOutput = (c) => {  // crosses shadow roots
    let el = c && c.isConnected ? c : null;
    while (el) {
      if (el.closest && el.closest('.jp-OutputArea-output')) return true;
      const root = el.getRootNode && el.getRootNode();
      el = root && root.host ? root.host : null;
    }
    return false;
  };
  const look = (d) => {  // RGBA bytes -> [pixels unlike the first one, hue bins used]
    const r0 = d[0], g0 = d[1], b0 = d[2], a0 = d[3];
    const bins = new Array(36).fill(0);
    let unlike = 0, sat = 0;
    for (let i = 0; i < d.length; i += 16) {  // every 4th pixel
      const r = d[i], g = d[i + 1], b = d[i + 2], a = d[i + 3];
      if (Math.abs(r - r0) > 8 || Math.abs(g - g0) > 8 || Math.abs(b - b0) > 8 ||
          Math.abs(a - a0) > 8) unlike++;
      const mx = Math.max(r, g, b), mn = Math.min(r, g, b), dl = mx - mn;
      if (a < 64 || mx < 64 || dl / mx < 0.3) continue;
      const hue = mx === r ? ((g - b) / dl + 6) % 6 : mx === g ? (b - r) / dl + 2 : (r - g) / dl + 4;
      bins[Math.min(35, Math.floor(hue / 6 * 36))]++;
      sat++;
    }
    return [unlike, sat ? bins.filter(k => k >= Math.max(1, 0.01 * sat)).length : 0];
  };
  const record = (c, t, final, painted, coloured) => {
    B.draws.push(t);
    const root = c.closest && c.closest('.embed-widget');
    if (root) {  // each change of the number of layouts drawn: [ms, layouts, final]
      const k = Number(root.dataset.layouts || 0), last = B.layouts[B.layouts.length - 1];
      if (!last || last[1] !== k) B.layouts.push([t - B.t0, k, final]);
    }
    if (!painted) return;
    if (B.firstPaint === null) {
      B.firstPaint = t - B.t0; B.canvas = c; B.size = [c.width, c.height];
    }
    if (final && B.firstFinal === null) B.firstFinal = t - B.t0;
    if (coloured && B.firstColoured === null) B.firstColoured = t - B.t0;
  };
  const seeing = () => B.firstPaint === null || B.firstFinal === null || B.firstColoured === null;

  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const out = drawImage.apply(this, args);
    const c = this.canvas;
    if (!B.armed || B.mode !== '2d' || !inOutput(c)) return out;
    this.getImageData(0, 0, 1, 1);  // the frame's pixels are done
    const t = performance.now();
    const root = c.closest('.embed-widget');
    const final = root ? root.dataset.final === 'true' && Number(root.dataset.points) === B.n
                       : true;
    let painted = false, coloured = false;
    if (seeing() && c.width && c.height) {
      const [unlike, hues] = look(this.getImageData(0, 0, c.width, c.height).data);
      painted = unlike >= 20; coloured = painted && hues >= 4;
    }
    record(c, t, final, painted, coloured);
    return out;
  };

  const frameBuffers = new WeakMap();
  // per context: the bound vertex array (attribute state belongs to it), which vertex arrays
  // have the category attribute (location 2) on, points drawn in this frame, a frame pending
  const calls = new WeakMap();
  const callsOf = (gl) => {
    let s = calls.get(gl);
    if (!s) calls.set(gl, s = {vao: null, cat: new Map(), points: 0, catPoints: false, pending: false});
    return s;
  };
  // A frame is every draw call made to the default framebuffer in one task (its animation-frame
  // callback): closed in a microtask, read back once.
  const glFrame = (gl) => {
    const s = callsOf(gl), points = s.points, catPoints = s.catPoints;
    s.points = 0; s.catPoints = false; s.pending = false;
    const c = gl.canvas;
    if (!B.armed || B.mode !== 'webgl' || !inOutput(c)) return;
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));  // done
    record(c, performance.now(), true, points > 0, points > 0 && catPoints);
  };
  for (const P of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    const bind = P.bindFramebuffer;
    P.bindFramebuffer = function (target, fb) {
      if (target === this.FRAMEBUFFER || target === 0x8CA9 /* DRAW_FRAMEBUFFER */) {
        frameBuffers.set(this, fb);
      }
      return bind.call(this, target, fb);
    };
    const bindVao = P.bindVertexArray;
    if (bindVao) {
      P.bindVertexArray = function (vao) {
        callsOf(this).vao = vao;
        return bindVao.call(this, vao);
      };
    }
    const enable = P.enableVertexAttribArray, disable = P.disableVertexAttribArray;
    P.enableVertexAttribArray = function (i) {
      if (i === 2) { const s = callsOf(this); s.cat.set(s.vao, true); }
      return enable.call(this, i);
    };
    P.disableVertexAttribArray = function (i) {
      if (i === 2) { const s = callsOf(this); s.cat.set(s.vao, false); }
      return disable.call(this, i);
    };
    for (const name of ['drawArrays', 'drawArraysInstanced', 'drawElements', 'drawElementsInstanced']) {
      const draw = P[name];
      if (!draw) continue;
      P[name] = function (...args) {
        const out = draw.apply(this, args);
        if (B.mode !== 'webgl') return out;
        const s = callsOf(this);
        if (name === 'drawArrays' && args[0] === this.POINTS && args[2] > 0) {
          s.points = Math.max(s.points, args[2]);
          if (s.cat.get(s.vao)) s.catPoints = true;
        }
        if (!frameBuffers.get(this) && !s.pending) {
          s.pending = true;
          queueMicrotask(() => glFrame(this));
        }
        return out;
      };
    }
  }
  window.addEventListener('wheel', () => { if (B.armed) B.wheels.push(performance.now()); },
                          {capture: true, passive: true});
})();
"""

RUN_CELL_JS = """
([n, mode]) => {
  const B = window.__bench;
  Object.assign(B, {armed: true, mode, n, draws: [], wheels: [], layouts: [], firstPaint: null,
                    firstColoured: null, firstFinal: null, size: null, canvas: null});
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.activeCellIndex = 1;
  B.t0 = performance.now();
  window.jupyterapp.commands.execute('notebook:run-cell');
}
"""

CELL_DONE_JS = """
(i) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cell = panel.content.widgets[i].model;
  const errors = cell.outputs.toJSON().filter(o => o.output_type === 'error')
    .map(o => `${o.ename}: ${o.evalue}`);
  return {idle: kernel && kernel.status === 'idle', count: cell.executionCount, errors};
}
"""

CANVAS_CENTRE_JS = """
() => {
  window.__bench.canvas.scrollIntoView({block: 'center'});
  const q = window.__bench.canvas.getBoundingClientRect();
  return [q.left + q.width / 2, q.top + q.height / 2];
}
"""

# the wheel's step: the first frame recorded after the last wheel event, in ms after it
ZOOM_STEP_JS = """
() => {
  const B = window.__bench, w = B.wheels[B.wheels.length - 1];
  const d = B.draws.find(t => t >= w);
  return d === undefined ? null : d - w;
}
"""
