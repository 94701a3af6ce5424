"""A table on a Dask cluster in the widget (issue 15, item 4): the sample is fitted in the kernel,
the other rows are placed on a LocalCluster's two workers, and the plot shows every row as the
chunks land, then the final layout."""

from __future__ import annotations

from ew_cases import wait_done
from ew_notebook import OpenNotebookFn
from ew_page import count_non_background
from ew_widget import EmbedView

ON_A_CLUSTER = """
import numpy as np, pandas as pd
from dask.distributed import Client, LocalCluster
from embed_widget import Table
from embed_widget.projection import distributed
distributed.CHUNK_ROWS = 4000
rng = np.random.default_rng(0)
centres = rng.normal(0, 6, size=(6, 16))
label = rng.integers(0, 6, size=20_000)
x = (centres[label] + rng.normal(0, 1, size=(20_000, 16))).astype("float32")
client = Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                             dashboard_address=None))
t = Table(dataframe=pd.DataFrame({"emb": list(x), "label": label.astype(str)}))
t.use_cluster(client, sample=4000)
t.view.algorithm = "umap"
t
"""


def test_a_table_on_a_cluster_shows_every_row_as_chunks_land(
    open_notebook: OpenNotebookFn,
) -> None:
    nb = open_notebook([ON_A_CLUSTER], timeout=180)
    view = EmbedView(nb.page)
    px = wait_done(nb, view, "umap", timeout=240)
    assert view.root.get_attribute("data-points") == "20000"
    assert count_non_background(px) > 5_000, count_non_background(px)
    info = nb.eval_in_kernel("t.projection.attrs['distributed']")
    assert (info["fitted"], info["placed"], info["chunks"]) == (4000, 16_000, 4)
    # the PCA preview, the sample's layout with every other row guessed, chunks, the final one
    assert int(view.root.get_attribute("data-layouts") or 0) >= 3
    notices = view.at(".ew-notices").first.inner_text()
    assert "fitted on a sample of 4,000 rows; 16,000 placed on the cluster" in notices
