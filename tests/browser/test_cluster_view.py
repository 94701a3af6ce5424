"""A table on a Dask cluster in the widget (issue 15, item 4): the sample is fitted in the kernel,
the other rows are placed on a LocalCluster's two workers, and the plot shows every row as the
chunks land, then the final layout; up to 2M rows."""

from __future__ import annotations

import numpy as np
from ew_cases import painted_centroids, wait_done
from ew_notebook import OpenNotebookFn
from ew_page import count_non_background
from ew_widget import EmbedView
from scipy.spatial import procrustes

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


TWO_MILLION = """
import numpy as np, pandas as pd
from dask.distributed import Client, LocalCluster
from embed_widget import Table
rng = np.random.default_rng(0)
centres = rng.normal(0, 6, size=(12, 64))
label = rng.integers(0, 12, size=2_000_000)
x = (centres[label] + rng.normal(0, 1, size=(2_000_000, 64))).astype("float32")
df = pd.DataFrame(x, columns=[f"d{i}" for i in range(64)])
df["label"] = [f"blob {i:02d}" for i in label]
client = Client(LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None))
t = Table(dataframe=df)
t.use_cluster(client)
t.view.algorithm = "pca"
t
"""


def test_two_million_rows_on_two_worker_processes_are_all_drawn(
    open_notebook: OpenNotebookFn,
) -> None:
    """2,000,000 x 64 on a LocalCluster of two worker processes (the issue's case): the default
    sample of 100,000 rows is fitted, the other 1,900,000 are placed on the workers in chunks,
    and the canvas draws all 2M: each blob's colour painted where the kernel put its rows."""
    nb = open_notebook([TWO_MILLION], timeout=300)
    view = EmbedView(nb.page)
    pixels = wait_done(nb, view, "pca", timeout=300)
    assert view.root.get_attribute("data-points") == "2000000"
    info = nb.eval_in_kernel("t.projection.attrs['distributed']")
    assert (info["fitted"], info["placed"]) == (100_000, 1_900_000), info
    assert info["chunks"] >= 2 and info["scheduler"].startswith("tcp://"), info
    centroids = nb.eval_in_kernel(
        "t.projection.groupby('label')[['x', 'y']].median().sort_index().values.tolist()"
    )
    legend, on_canvas = painted_centroids(view, pixels)
    assert len(legend) == 12
    disparity = procrustes(np.array(centroids), on_canvas)[2]
    assert disparity < 0.01, disparity
    nb.run_in_kernel("client.close(); client.cluster.close()")
