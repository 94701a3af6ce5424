"""The GPU path in the widget (issue 15, item 6), with cuML and cupy replaced by the stand-ins of
tests/gpu_stand_ins.py in the kernel (there is no GPU here): the layout cuML's UMAP returns is
the one drawn, and the status says which GPU computed it, or that it failed and the CPU did."""

from __future__ import annotations

import numpy as np
from ew_cases import painted_centroids, wait_done
from ew_jupyter import REPO_ROOT
from ew_notebook import OpenNotebookFn
from ew_widget import EmbedView
from scipy.spatial import procrustes

ON_A_STAND_IN_GPU = f"""
import sys
sys.path.insert(0, {str(REPO_ROOT / "tests")!r})
import gpu_stand_ins
sys.modules.update(gpu_stand_ins.modules())
import numpy as np, pandas as pd
from embed_widget import Table
rng = np.random.default_rng(0)
label = rng.integers(0, 4, size=2000)
x = (rng.normal(0, 8, size=(4, 8))[label] + rng.normal(0, 1, size=(2000, 8))).astype("float32")
df = pd.DataFrame(x, columns=[f"d{{i}}" for i in range(8)])
df["label"] = [f"blob {{i}}" for i in label]
t = Table(dataframe=df)
t.view.algorithm = "umap"
t
"""


def test_a_layout_from_the_gpu_is_drawn_and_said(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([ON_A_STAND_IN_GPU], timeout=120)
    view = EmbedView(nb.page)
    pixels = wait_done(nb, view, "umap", timeout=120)
    notices = view.at(".ew-notices").first.inner_text()
    assert "computed on the GPU (cuML 99.1 on Stand-in GPU)" in notices
    # the stand-in's layout (the first two columns, doubled) is what the canvas shows
    centroids = nb.eval_in_kernel(
        "(df.groupby('label')[['d0', 'd1']].median() * 2).sort_index().values.tolist()"
    )
    legend, on_canvas = painted_centroids(view, pixels)
    assert legend == ["blob 0", "blob 1", "blob 2", "blob 3"]
    assert procrustes(np.array(centroids), on_canvas)[2] < 0.01

    # the GPU runs out of memory: the CPU lays it out, and the status says so
    seq = nb.eval_in_kernel("t.view.status['seq']")
    nb.run_in_kernel(
        "class NoMemory(gpu_stand_ins.FakeUMAP):\n"
        "    def fit_transform(self, x): raise MemoryError('out of memory allocating 9 GB')\n"
        "sys.modules['cuml'].UMAP = NoMemory\n"
        "t.view.params = {'n_neighbors': 10}"
    )
    wait_done(nb, view, "umap", after_seq=seq, timeout=120)
    notices = view.at(".ew-notices").first.inner_text()
    assert "the GPU failed (MemoryError: out of memory allocating 9 GB)" in notices
    assert nb.eval_in_kernel("t.projection.attrs['device']") == "cpu"
