"""A table's projections on a Dask cluster (``Table.use_cluster`` or ``project(client=...)``):
the engine task that fits on a sample and places the other rows on the workers."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..projection.distributed import FIT_SHARE, SAMPLE_ROWS, project_on_cluster
from ..projection.result import ProjectionResult, Reporter

if TYPE_CHECKING:
    from .session import ProjectionSession


@dataclass(frozen=True)
class Cluster:
    """Where and how a table's projections run on a cluster."""

    client: Any
    #: rows the layout is fitted on; a table with no more rows is projected here, as usual
    sample: int = SAMPLE_ROWS
    #: a categorical column whose categories the sample keeps in proportion
    stratify: str | None = None

    def wanted(self, rows: int) -> bool:
        return rows > self.sample


def cluster_task(
    session: ProjectionSession,
    cluster: Cluster,
    key: Hashable,
    matrix: np.ndarray,
    algorithm: str,
    params: Mapping[str, Any],
) -> Callable[[Reporter], ProjectionResult]:
    """The engine task: ``algorithm`` fitted on the sample (cached under its own key), then
    the other rows placed on the cluster, streamed as they land."""
    strata = session.table.category_codes(cluster.stratify)[0] if cluster.stratify else None
    sample_key = (key, "sample", cluster.sample, cluster.stratify)

    def fit(rows: np.ndarray, rep: Reporter) -> ProjectionResult:
        def progress(fraction: float, phase: str) -> None:
            rep.progress(FIT_SHARE * fraction, f"fitting a sample of {len(rows):,} rows: {phase}")

        return session.engine.projector.project(
            sample_key, rows, algorithm, params, on_progress=progress, should_stop=rep.stopping
        )

    def task(rep: Reporter) -> ProjectionResult:
        return project_on_cluster(
            matrix, fit, cluster.client, sample=cluster.sample, strata=strata, rep=rep
        )

    return task


def task_for(
    session: ProjectionSession,
    key: Hashable,
    matrix: np.ndarray,
    algorithm: str,
    params: Mapping[str, Any],
    cluster: Cluster | None = None,
) -> Callable[[Reporter], ProjectionResult] | None:
    """The cluster task for this projection if there is a cluster (``cluster``, else the
    session's) and the projection has more rows than its sample."""
    cluster = cluster or session.cluster
    if cluster is None or not cluster.wanted(len(matrix)):
        return None
    return cluster_task(session, cluster, key, matrix, algorithm, params)
