"""Benchmark the projection engine against plain library calls in the same process.

Run on demand: ``python benchmarks/projection.py [--sizes digits,10k,50k] [--repeats 3]
[--no-cold] [--fresh umap100k,tsne50k]``. Prints one table: medians of ``--repeats`` runs of each
fresh fit and reuse path, the plain umap-learn / scikit-learn / openTSNE call it is compared with,
their ratio (ours / plain, < 1 is faster), the time from a request to its first streamed layout,
and trustworthiness (k=10, on at most 2,000 rows). Then the cold start: fresh process -> first
coordinates (PCA) -> first UMAP frame -> final UMAP on the digits, in a later kernel (numba's
disk cache filled) and in a new environment (an empty cache), against plain ``umap.UMAP`` in
the same two situations. ``--fresh`` runs the big fits each in a new process (ours and the plain
call alike, so each pays its own imports and compilation): UMAP at 100k x 128 and t-SNE at
50k x 128 (clustered data in a 24-d latent space: text-embedding-like), against the plain call
as it is reproducible (seeded UMAP: one thread in its layout; openTSNE's default one job) and
on every core (unseeded UMAP; openTSNE ``n_jobs=-1``). ``--dask 500000:50000``
adds UMAP of 500k rows on a LocalCluster of 2 workers, fitted on a 50k sample, against
umap-learn's fit on that sample and transform of the rest (``--sizes "" --no-cold --dask ...``
for that row alone).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from embed_widget.projection import ProjectionEngine, Projector

warnings.filterwarnings("ignore")
ROWS: list[list[str]] = []
PCA_REPEATS = 21


def dataset(name: str) -> np.ndarray:
    from sklearn.datasets import load_digits, make_blobs

    if name == "digits":
        return load_digits().data.astype(np.float32)
    n, d = {"10k": (10_000, 64), "50k": (50_000, 128)}[name]
    x, _ = make_blobs(n, d, centers=20, cluster_std=2.0, random_state=0)
    return x.astype(np.float32)


def trust(x: np.ndarray, y: np.ndarray) -> float:
    from sklearn.manifold import trustworthiness

    idx = np.random.default_rng(0).permutation(len(x))[:2000]
    return float(trustworthiness(x[idx], y[idx], n_neighbors=10))


def median_time(fn: Callable[[int], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for i in range(repeats):
        t0 = time.perf_counter()
        out = fn(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def first_frame(x: np.ndarray, algo: str, params: dict[str, Any], projector: Projector) -> float:
    """Seconds from submit to the first streamed layout (or the result if none streams)."""
    engine = ProjectionEngine(projector)
    got = threading.Event()
    t = [0.0]

    def mark(_: Any) -> None:
        if not got.is_set():
            t[0] = time.perf_counter() - t0
            got.set()

    t0 = time.perf_counter()
    engine.submit("x", x, algo, params, on_frame=mark, on_done=mark)
    got.wait()
    engine.submit("x", x, "pca", {})  # supersede: cancels the rest of the job
    engine.wait()
    engine.shutdown()
    return t[0]


def row(data: str, case: str, ours: float, plain: float | None, base: str, ff: float | None,
        t_ours: float | None, t_plain: float | None) -> None:  # fmt: skip
    def f(v: float | None, fmt: str = "{:.3f}") -> str:
        return "-" if v is None else fmt.format(v)

    ratio = None if plain is None else ours / plain
    ROWS.append([data, case, f(ours), f(plain), base, f(ratio, "{:.2f}"), f(ff),
                 f(t_ours), f(t_plain)])  # fmt: skip
    print("  ", ROWS[-1], flush=True)


def paired_medians(
    ours: Callable[[int], Any], plain: Callable[[int], Any], repeats: int
) -> tuple[float, float, Any, Any]:
    """Medians of runs alternating ours and plain, so a noisy neighbour hits both alike."""
    t_ours, t_plain, out_ours, out_plain = [], [], None, None
    for i in range(repeats):
        t0 = time.perf_counter()
        out_ours = ours(i)
        t1 = time.perf_counter()
        out_plain = plain(i)
        t_ours.append(t1 - t0)
        t_plain.append(time.perf_counter() - t1)
    return statistics.median(t_ours), statistics.median(t_plain), out_ours, out_plain


def bench_pca(name: str, x: np.ndarray, r: int) -> None:
    from sklearn.decomposition import PCA

    r = max(r, PCA_REPEATS)  # milliseconds each: many runs cost nothing and calm the noise
    t_ours, t_plain, res, yp = paired_medians(
        lambda i: Projector().project("x", x, "pca", {}), lambda i: PCA(2).fit_transform(x), r
    )
    row(
        name,
        "pca fresh",
        t_ours,
        t_plain,
        "sklearn PCA(2)",
        None,
        trust(x, res.coords),
        trust(x, yp),
    )
    p = Projector()
    p.project("x", x, "pca", {})
    pairs = [(a, b) for a in range(1, 5) for b in range(a + 1, 6)]
    t_sw, t_p4, _, _ = paired_medians(
        lambda i: p.project(
            "x", x, "pca", {"x_component": pairs[i % 10][0], "y_component": pairs[i % 10][1]}
        ),
        lambda i: PCA(max(pairs[i % 10])).fit_transform(x),
        r,
    )
    row(name, "pca component switch", t_sw, t_p4, "sklearn PCA(k) refit", None, None, None)


def bench_umap(name: str, x: np.ndarray, r: int) -> None:
    import umap

    def plain(i: int, **kw: Any) -> np.ndarray:
        return umap.UMAP(random_state=42, **kw).fit_transform(x)  # type: ignore[no-any-return]

    plain(0, n_epochs=10)  # pay umap's import/JIT for the plain call outside the timing
    Projector().project("x", x, "umap", {"n_epochs": 50})  # same for ours
    t_plain, yp = median_time(plain, r)
    t_ours, res = median_time(lambda i: Projector().project("x", x, "umap", {}), r)
    ff = first_frame(x, "umap", {}, Projector())
    row(name, "umap fresh", t_ours, t_plain, "umap.UMAP(seed)", ff, trust(x, res.coords),
        trust(x, yp))  # fmt: skip

    p = Projector()
    p.project("x", x, "umap", {"n_neighbors": 30})
    dists = [0.3, 0.5, 0.7, 0.9]
    t_md, res = median_time(
        lambda i: p.project("x", x, "umap", {"n_neighbors": 30, "min_dist": dists[i]}), r
    )
    t_mdp, _ = median_time(lambda i: plain(i, n_neighbors=30, min_dist=dists[i]), r)
    ff = first_frame(x, "umap", {"n_neighbors": 30, "min_dist": 0.25}, p)
    row(name, "umap min_dist (graph reused)", t_md, t_mdp, "umap.UMAP(seed)", ff,
        trust(x, res.coords), None)  # fmt: skip

    warm = [0.35, 0.55, 0.75, 0.95]
    t_w, res = median_time(
        lambda i: p.project(
            "x", x, "umap", {"n_neighbors": 30, "min_dist": warm[i], "start": "previous"}
        ),
        r,
    )
    row(name, "umap min_dist (warm start)", t_w, t_mdp, "umap.UMAP(seed)", None,
        trust(x, res.coords), None)  # fmt: skip

    ks = [10, 12, 14, 16]
    t_k, res = median_time(lambda i: p.project("x", x, "umap", {"n_neighbors": ks[i]}), r)
    t_kp, _ = median_time(lambda i: plain(i, n_neighbors=ks[i]), r)
    row(name, "umap n_neighbors down (kNN sliced)", t_k, t_kp, "umap.UMAP(seed)", None,
        trust(x, res.coords), None)  # fmt: skip


def bench_tsne(name: str, x: np.ndarray, r: int, sklearn_max: int) -> None:
    import openTSNE
    from sklearn.manifold import TSNE

    def plain(i: int, **kw: Any) -> np.ndarray:
        return np.asarray(openTSNE.TSNE(random_state=42, n_jobs=1, **kw).fit(x))

    t_ours, t_plain, res, yp = paired_medians(
        lambda i: Projector().project("x", x, "tsne", {}), plain, r
    )
    ff = first_frame(x, "tsne", {}, Projector())
    row(name, "tsne fresh", t_ours, t_plain, "openTSNE.TSNE", ff, trust(x, res.coords),
        trust(x, yp))  # fmt: skip
    if len(x) <= sklearn_max:
        t_sk, ys = median_time(lambda i: TSNE(random_state=42).fit_transform(x), r)
        row(name, "tsne fresh", t_ours, t_sk, "sklearn TSNE", None, None, trust(x, ys))

    p = Projector()
    p.project("x", x, "tsne", {})
    lrs = [100.0, 200.0, 400.0, 800.0]
    t_lr, t_lrp, res, _ = paired_medians(
        lambda i: p.project("x", x, "tsne", {"learning_rate": lrs[i]}),
        lambda i: plain(i, learning_rate=lrs[i]),
        r,
    )
    row(name, "tsne learning_rate (affinities reused)", t_lr, t_lrp, "openTSNE.TSNE", None,
        trust(x, res.coords), None)  # fmt: skip
    perps = [20.0, 22.0, 24.0, 26.0]
    t_p, t_pp, res, _ = paired_medians(
        lambda i: p.project("x", x, "tsne", {"perplexity": perps[i]}),
        lambda i: plain(i, perplexity=perps[i]),
        r,
    )
    row(name, "tsne perplexity down (kNN sliced)", t_p, t_pp, "openTSNE.TSNE", None,
        trust(x, res.coords), None)  # fmt: skip
    warm = [21.0, 23.0, 25.0, 27.0]
    t_w, res = median_time(
        lambda i: p.project("x", x, "tsne", {"perplexity": warm[i], "start": "previous"}), r
    )
    row(name, "tsne perplexity (warm start)", t_w, t_pp, "openTSNE.TSNE", None,
        trust(x, res.coords), None)  # fmt: skip


COLD = r"""
import os, sys, time, threading
T0 = float(os.environ["T0"])
sys.path.insert(0, os.environ["REPO"])
import numpy as np
from sklearn.datasets import load_digits
marks = {}
x = load_digits().data.astype(np.float32)
if os.environ.get("PLAIN"):
    import warnings; warnings.simplefilter("ignore")
    import umap
    marks["imports"] = time.time() - T0
    umap.UMAP(random_state=42).fit_transform(x)
    marks["final UMAP"] = time.time() - T0
else:
    from embed_widget import Table
    from embed_widget.projection import ProjectionEngine
    marks["imports"] = time.time() - T0
    Table(columns=["v"])  # what a user's notebook does first: starts the kernel's warm-up
    engine, first = ProjectionEngine(), threading.Event()
    def done_pca(r):
        marks["first coordinates (PCA)"] = time.time() - T0
        first.set()
    engine.submit("d", x, "pca", {}, on_done=done_pca)
    first.wait()
    engine.submit("d", x, "umap", {},
        on_frame=lambda c: marks.setdefault("first UMAP frame", time.time() - T0),
        on_done=lambda r: marks.setdefault("final UMAP", time.time() - T0))
    engine.wait()
print("MARKS" + __import__("json").dumps(marks))
"""


def _cold_runs(extra: dict[str, str], n: int) -> dict[str, float]:
    repo = str(Path(__file__).resolve().parents[1])
    runs = []
    for _ in range(n):
        env = {**os.environ, **extra, "T0": repr(time.time()), "REPO": repo,
               "EMBED_WIDGET_WARM_UP": "1"}  # fmt: skip
        out = subprocess.run([sys.executable, "-c", COLD], env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        runs.append(json.loads(out.stdout.split("MARKS")[1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def cold_start(repeats: int) -> list[str]:
    """The digits' final UMAP from process start: ours and plain umap.UMAP, in a new environment
    (an empty numba cache for each) and in a later kernel (the cache they filled)."""
    lines = []
    for label, new in (("new environment (empty numba cache)", True), ("later kernel", False)):
        n = 1 if new else repeats
        ours_dir, plain_dir = (tempfile.mkdtemp(), tempfile.mkdtemp()) if new else ("", "")
        if not new:  # fill both caches first (their default locations)
            _cold_runs({}, 1)
            _cold_runs({"PLAIN": "1"}, 1)
        ours = _cold_runs({"NUMBA_CACHE_DIR": ours_dir} if new else {}, n)
        plain = _cold_runs({"PLAIN": "1", **({"NUMBA_CACHE_DIR": plain_dir} if new else {})}, n)
        ratio = ours["final UMAP"] / plain["final UMAP"]
        # a notebook shows the table after its imports: "after display" starts there
        shown = ours["final UMAP"] - ours["imports"]
        lines.append(
            f"{label:36s} (median of {n}): ours " + ", ".join(
                f"{k} {v:.2f} s" for k, v in ours.items())
            + f", final UMAP after display {shown:.2f} s"
            + f" | plain umap.UMAP: final {plain['final UMAP']:.2f} s | ratio {ratio:.2f}"
        )  # fmt: skip
        print("  ", lines[-1], flush=True)
    return lines


FRESH = r"""
import os, sys, time, json, warnings
warnings.simplefilter("ignore")
T0 = time.time()
sys.path.insert(0, os.environ["REPO"])
import numpy as np
from sklearn.datasets import make_blobs
n, algo, who = int(os.environ["N"]), os.environ["ALGO"], os.environ["WHO"]
z, _ = make_blobs(n, 24, centers=40, cluster_std=2.0, random_state=0)
x = (z @ np.random.default_rng(1).normal(size=(24, 128))
     + np.random.default_rng(2).normal(size=(n, 128))).astype(np.float32)
t0 = time.time(); first = []
if who == "ours":
    from embed_widget.projection import Projector
    r = Projector().project("x", x, algo, {}, on_frame=lambda c: first or first.append(time.time()))
    y = r.coords
elif algo == "umap":
    import umap
    # seeded: one thread in the layout, as ours is reproducible; unseeded: every core
    y = umap.UMAP(random_state=None if who == "all cores" else 42).fit_transform(x)
else:
    import openTSNE
    y = np.asarray(openTSNE.TSNE(random_state=42, n_jobs=-1 if who == "all cores" else 1).fit(x))
t1 = time.time()
from sklearn.manifold import trustworthiness
s = np.random.default_rng(0).permutation(n)[:2000]
print("FRESH" + json.dumps({"seconds": t1 - t0, "first": (first[0] - t0) if first else None,
    "trust": float(trustworthiness(x[s], y[s], n_neighbors=10))}))
"""


def fresh_kernel(case: str) -> None:
    """One big fit per new process, ours and the plain call (each pays its own imports/JIT)."""
    algo, n = {"umap100k": ("umap", 100_000), "tsne50k": ("tsne", 50_000)}[case]
    repo = str(Path(__file__).resolve().parents[1])
    out = {}
    for who in ("ours", "plain", "all cores"):
        env = {**os.environ, "REPO": repo, "N": str(n), "ALGO": algo, "WHO": who}
        res = subprocess.run([sys.executable, "-c", FRESH], env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        out[who] = json.loads(res.stdout.split("FRESH")[1])
    calls = {"umap": ("umap.UMAP(seed)", "umap.UMAP() unseeded, all cores"),
             "tsne": ("openTSNE.TSNE", "openTSNE.TSNE(n_jobs=-1)")}[algo]  # fmt: skip
    for who, call in zip(("plain", "all cores"), calls, strict=True):
        row(f"{case} {n}x128 (new process)", f"{algo} fresh", out["ours"]["seconds"],
            out[who]["seconds"], call, out["ours"]["first"], out["ours"]["trust"],
            out[who]["trust"])  # fmt: skip


def bench_dask(n: int, sample: int) -> None:
    """UMAP of ``n`` x 64 blobs on a Dask cluster: ours (``Table.project(client=...)``: fitted
    on ``sample`` rows here, the rest placed on a LocalCluster of 2 worker processes) against
    umap-learn's own way to the same picture, in this process: ``UMAP().fit`` on the same sample,
    then ``.transform`` of the other rows. Both JITs warmed first (untimed)."""
    import pandas as pd
    import umap
    from dask.distributed import Client, LocalCluster
    from sklearn.datasets import make_blobs

    from embed_widget import Table
    from embed_widget.projection.distributed import stratified_sample

    x, _ = make_blobs(n, 64, centers=20, cluster_std=2.0, random_state=0)
    x = x.astype(np.float32)
    umap.UMAP(n_epochs=20).fit(x[:5000]).transform(x[5000:7000])  # numba's JIT, untimed
    Table(pd.DataFrame({"emb": list(x[:3000])})).project("umap")
    t = Table(pd.DataFrame({"emb": list(x)}))
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        t0 = time.perf_counter()
        frame = t.project("umap", client=client, sample=sample)
        ours = time.perf_counter() - t0
    rows = stratified_sample(n, sample)
    rest = np.setdiff1d(np.arange(n), rows)
    t0 = time.perf_counter()
    model = umap.UMAP(random_state=42).fit(x[rows])
    placed = model.transform(x[rest])
    plain = time.perf_counter() - t0
    theirs = np.empty((n, 2), dtype=np.float32)
    theirs[rows], theirs[rest] = model.embedding_, placed
    mine = frame[["x", "y"]].to_numpy()
    row(f"{n // 1000}k x 64, sample {sample // 1000}k", "umap on a 2-worker cluster", ours, plain,
        "umap fit(sample)+transform(rest)", None, trust(x, mine), trust(x, theirs))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="digits,10k,50k")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--algorithms", default="pca,umap,tsne")
    ap.add_argument(
        "--sklearn-tsne-max",
        type=int,
        default=10_000,
        help="skip scikit-learn's t-SNE above this many rows (~305 s at 50k)",
    )
    ap.add_argument("--no-cold", action="store_true")
    ap.add_argument("--fresh", default="", help="umap100k,tsne50k: big fits in new processes")
    ap.add_argument(
        "--dask", default="", help="ROWS:SAMPLE, e.g. 500000:50000: UMAP on a LocalCluster"
    )
    args = ap.parse_args()
    if args.dask:
        n, sample = (int(v) for v in args.dask.split(":"))
        bench_dask(n, sample)
    cold = [] if args.no_cold else cold_start(args.repeats)
    for case in filter(None, args.fresh.split(",")):
        fresh_kernel(case)
    for name in filter(None, args.sizes.split(",")):
        x = dataset(name)
        label = f"{name} {x.shape[0]}x{x.shape[1]}"
        print(label, flush=True)
        algos = args.algorithms.split(",")
        if "pca" in algos:
            bench_pca(label, x, args.repeats)
        if "umap" in algos:
            bench_umap(label, x, args.repeats)
        if "tsne" in algos:
            bench_tsne(label, x, args.repeats, args.sklearn_tsne_max)
    head = ["data", "case", "ours s", "plain s", "plain call", "ratio", "1st frame s",
            "T ours", "T plain"]  # fmt: skip
    widths = [max(len(str(r[i])) for r in [head, *ROWS]) for i in range(len(head))]
    print(
        f"\nmedians of {args.repeats} runs (PCA: {max(args.repeats, PCA_REPEATS)}, alternating "
        "with the plain call); ratio = ours / plain; T = trustworthiness k=10"
    )
    for r in [head, *ROWS]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    if cold:
        print("\ncold start on the digits (fresh process; times since process start):")
        print("\n".join(cold))


if __name__ == "__main__":
    main()
