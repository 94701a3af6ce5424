"""Benchmark approximate nearest neighbours: ours (faiss HNSW, as shipped) against pynndescent
(what umap-learn uses) and, when installed, usearch and voyager, on the same data in one run.

Run on demand: ``python benchmarks/neighbors.py [--sizes 100k,1m] [--libs ours,pynndescent]``.
Each library runs in a new process (so pynndescent pays its compilation as in a new kernel:
``--warm`` runs it once before timing, as in a kernel that already ran it). Prints build+query
seconds for k=15 on every row, recall@15 against an exact search for 1,000 sampled rows, and the
ratio of seconds to pynndescent's. Data: clusters in a 24-d latent space mapped linearly to
``d`` dimensions plus noise (text-embedding-like); ``--isotropic`` uses 384-d blobs instead (a
hard case: no low-dimensional structure).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

RUN = r"""
import os, sys, time, json, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, os.environ["REPO"])
import numpy as np
from sklearn.datasets import make_blobs
n, d, lib, k = int(os.environ["N"]), int(os.environ["D"]), os.environ["LIB"], 15
if os.environ.get("ISOTROPIC"):
    x, _ = make_blobs(n, d, centers=max(10, n // 2000), cluster_std=4.0, random_state=0)
else:
    z, _ = make_blobs(n, 24, centers=max(10, n // 2000), cluster_std=2.0, random_state=0)
    x = z @ np.random.default_rng(1).normal(size=(24, d))
    x = x + np.random.default_rng(2).normal(size=(n, d))
x = x.astype(np.float32)

def run():
    if lib == "ours":
        from embed_widget.projection.ann import hnsw_knn
        return hnsw_knn(x, k, "euclidean", lambda f, p: None)[0]
    if lib == "pynndescent":
        from pynndescent import NNDescent
        ix = NNDescent(x, n_neighbors=k, n_trees=min(64, 5 + round(n**0.5 / 20.0)),
                       n_iters=max(5, round(np.log2(n))), max_candidates=60, low_memory=True,
                       compressed=True, random_state=0)
        return ix.neighbor_graph[0]
    if lib == "usearch":
        from usearch.index import Index
        ix = Index(ndim=d, metric="l2sq", dtype="f32", connectivity=32, expansion_add=64,
                   expansion_search=96)
        ix.add(np.arange(n), x, threads=2)
        return ix.search(x, k, threads=2).keys
    if lib == "voyager":
        import voyager
        ix = voyager.Index(voyager.Space.Euclidean, num_dimensions=d, M=32, ef_construction=64)
        ix.add_items(x, num_threads=2)
        return ix.query(x, k=k, num_threads=2, query_ef=96)[0]
    raise SystemExit(f"unknown library {lib}")

if os.environ.get("WARM") and lib == "pynndescent":
    n_full = n; x_full = x; x = x[:5000]; n = 5000; run(); x = x_full; n = n_full
t0 = time.perf_counter()
idx = np.asarray(run())
seconds = time.perf_counter() - t0
rows = np.random.default_rng(0).choice(n, 1000, replace=False)
sq = (x ** 2).sum(1)
hits = 0
for s in range(0, 1000, 100):
    q = rows[s:s + 100]
    d2 = sq[q][:, None] - 2 * x[q] @ x.T + sq[None]
    truth = np.argpartition(d2, k, axis=1)[:, :k]
    hits += sum(len(set(a) & set(b)) for a, b in zip(idx[q], truth))
print("RESULT" + json.dumps({"seconds": seconds, "recall": hits / (1000 * k)}))
"""

SIZES = {"100k": (100_000, 384), "1m": (1_000_000, 64), "25k": (25_000, 128)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100k,1m")
    ap.add_argument("--libs", default="ours,pynndescent")
    ap.add_argument("--warm", action="store_true", help="pynndescent compiled before timing")
    ap.add_argument("--isotropic", action="store_true")
    args = ap.parse_args()
    repo = str(Path(__file__).resolve().parents[1])
    lines = []
    for size in args.sizes.split(","):
        n, d = SIZES[size]
        results = {}
        for lib in args.libs.split(","):
            flags = {"WARM": args.warm, "ISOTROPIC": args.isotropic}
            env = {**os.environ, "REPO": repo, "N": str(n), "D": str(d), "LIB": lib,
                   **{name: "1" if on else "" for name, on in flags.items()}}  # fmt: skip
            out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True,
                                 text=True)  # fmt: skip
            if out.returncode != 0:
                print(f"  {size} {lib}: failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            results[lib] = json.loads(out.stdout.split("RESULT")[1])
            print(f"  {size} {lib}: {results[lib]}", flush=True)
        base = results.get("pynndescent", {}).get("seconds")
        for lib, r in results.items():
            ratio = f"{r['seconds'] / base:.2f}" if base else "-"
            lines.append(f"{size} {n}x{d}  {lib:12s} {r['seconds']:7.1f} s  recall@15 "
                         f"{r['recall']:.3f}  ratio to pynndescent {ratio}")  # fmt: skip
    kind = "isotropic blobs" if args.isotropic else "latent-clustered"
    warm = "compiled before timing" if args.warm else "new process, compilation included"
    print(f"\nk=15 on every row, {kind} data; pynndescent {warm}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
