import time, json
import numpy as np
from ew_cases import digits_cell, to_screen
from ew_widget import EmbedView, CANVAS, TOOLTIP
from ew_page import count_non_background, distinct_hues, hover


def test_scratch(open_notebook):
    t0 = time.time()
    nb = open_notebook([digits_cell("pca")])
    print("opened", time.time() - t0)
    v = EmbedView(nb.page)
    px = v.wait_painted()
    print("painted", time.time() - t0, px.shape, count_non_background(px), distinct_hues(px))
    print(
        v.root.get_attribute("data-points"),
        v.root.get_attribute("data-final"),
        v.legend_items(),
        v.status(),
    )
    xy = np.array(nb.eval_in_kernel("t.projection[['x','y']].values.tolist()"))
    box = v.at(CANVAS).first.bounding_box()
    print(box)
    s = to_screen(xy, px.shape[1], px.shape[0])
    for i in [0, 5, 100]:
        hover(nb.page, box["x"] + s[i, 0], box["y"] + s[i, 1])
        tip = v.at(TOOLTIP).first
        try:
            tip.wait_for(state="visible", timeout=5000)
            print(i, tip.inner_text(), tip.evaluate("e => [e.style.left, e.style.top]"), s[i])
        except Exception as e:
            print("no tip", i, e)
    nb.page.screenshot(path="/tmp/ew_scratch.png")
    v.root.screenshot(path="/tmp/ew_scratch_w.png")
