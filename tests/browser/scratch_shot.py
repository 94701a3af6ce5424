# Scratch (not collected): screenshot the digits widget for a visual check.
import json
import time
from pathlib import Path


def test_shot(open_notebook):
    nb = json.loads(Path("notebooks/digits.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"][:1]
    cells[0] = cells[0].replace(
        "t = Table(dataframe=df)\nt", "t = Table(dataframe=df)\nt.view.algorithm = 'pca'\nt"
    )
    o = open_notebook(cells)
    time.sleep(4)
    o.page.locator(".embed-widget").first.screenshot(path="/tmp/ew/shot_pca.png")
    o.run_in_kernel("t.view.algorithm = 'umap'; t.view.wait(120)")
    time.sleep(3)
    o.page.locator(".embed-widget").first.screenshot(path="/tmp/ew/shot_umap.png")
    print(o.run_in_kernel("print(t.view.status)"))
