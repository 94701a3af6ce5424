"""The wire protocol between the kernel and the frontend: the shapes of the synced traits'
values and of the custom messages.

Each ``TypedDict`` here has a TypeScript interface of the same name and keys in
``js/protocol/`` (``model.ts`` for traits, ``messages.ts`` for messages); ``tests/test_protocol.py``
compares them.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from ..session import Status
from ..session.steps import StepsState

__all__ = [
    "CategoricalColors",
    "ClusterState",
    "ColumnInfo",
    "ContinuousColors",
    "CsvReply",
    "DetailsReply",
    "FileReply",
    "FilterState",
    "Layout",
    "Limits",
    "LinkState",
    "LiveReply",
    "Neighbor",
    "NoColors",
    "RowReply",
    "RowSummary",
    "RowsReply",
    "SearchState",
    "Status",
    "StepsState",
]

Role = Literal["embedding", "color", "image", "label"]
Scale = Literal["linear", "log", "quantile"]


class ColumnInfo(TypedDict):
    """One column of the table (``_columns``): its kind and what the controls may use it for."""

    name: str
    kind: str
    roles: list[Role]


class ClusterState(TypedDict):
    """The shown layout's clusters (``_clusters``): uint16 per row, 0 = noise, k + 1 = cluster k,
    with each cluster's name and size; ``seq`` is the layout they belong to."""

    seq: int
    codes: bytes
    names: list[str]
    sizes: list[int]
    column: str | None


class LiveReply(TypedDict):
    """Kernel → frontend: the answer to an output event (a view restored from a saved notebook,
    with no kernel behind it, never gets one)."""

    type: Literal["live"]


class Limits(TypedDict):
    """What the data allows beyond the static schema (``_limits``): the table's shape and, per
    algorithm, parameters' largest values where the data sets them below the schema's."""

    n_rows: int
    n_dims: int | None
    max: dict[str, dict[str, float]]


class Layout(TypedDict):
    """Coordinates to draw (``_layout``): float32 x, y interleaved, as bytes."""

    coords: bytes
    final: bool
    seq: int
    n: int
    #: a PCA preview shown while UMAP / t-SNE start (not the request's own layout)
    preview: bool
    #: turned by the kernel to match linked views: drawn as it is (not turned to the last one)
    aligned: bool
    #: linked views: the box (min x, min y, max x, max y) to fit into the plot, the same for
    #: every view (None: the layout's own)
    frame: list[float] | None


class LinkState(TypedDict):
    """The linked views a view belongs to (``_link``): views of one ``group`` mark the row
    hovered in any of them. ``keys`` (int32 per row) match rows across tables (None: by row
    number); ``zoom`` links the cameras too."""

    group: str
    keys: bytes | None
    zoom: bool


class NoColors(TypedDict):
    kind: Literal["none"]
    column: None
    color: str


class CategoricalColors(TypedDict):
    kind: Literal["categorical"]
    column: str
    codes: bytes
    categories: list[str]
    counts: list[int]
    palette: list[str]
    #: the categories merged into the last one, "(other)" (the most frequent first, capped)
    other: list[str]
    other_count: int


class ContinuousColors(TypedDict):
    kind: Literal["continuous"]
    column: str
    #: float32 positions on the colormap, 0 to 1 (NaN: missing)
    positions: bytes
    min: float
    max: float
    scale: Scale
    #: the scales this column can take ("auto" first; "log" only for positive values)
    scales: list[str]
    #: (position, label) pairs for the colorbar
    ticks: list[tuple[float, str]]
    colormap: list[str]


Colors = NoColors | CategoricalColors | ContinuousColors


class SearchState(TypedDict):
    """The rows the search matches (``_search``): uint32 indices as bytes (None: no search)."""

    query: str
    count: int
    indices: bytes | None
    #: why the last query typed in the widget was not applied (the previous matches stay)
    error: str | None


class FilterState(TypedDict):
    """The rows the filter hides (``_filter``): a uint8 mask as bytes, 1 = hidden (None: none)."""

    expression: str
    #: rows kept
    count: int
    hidden: bytes | None
    #: why the last expression typed in the widget was not applied (the previous one stays)
    error: str | None


class Neighbor(TypedDict):
    """One of a row's nearest rows in the original space."""

    index: int
    distance: float
    label: str


class RowReply(TypedDict, total=False):
    """Kernel → frontend: one row's cells as text, its image PNG in buffers[0] if ``image``."""

    type: Literal["row"]
    index: int
    values: list[list[str]]
    image: bool
    error: str


class DetailsReply(TypedDict, total=False):
    """Kernel → frontend: every cell of one row in full, its image PNG in buffers[0], and its
    nearest rows in the original space (with the metric used)."""

    type: Literal["details"]
    index: int
    values: list[list[str]]
    image: bool
    error: str
    metric: str
    metrics: list[str]
    neighbors: list[Neighbor]
    #: why no neighbours could be found (e.g. no embedding chosen)
    neighbors_error: str


class RowSummary(TypedDict):
    index: int
    label: str
    image: bool


class RowsReply(TypedDict):
    """Kernel → frontend: entries for the first selected rows, PNGs in buffers in order (sent
    whenever the selection or the listed column changes, and when a new view asks)."""

    type: Literal["rows"]
    total: int
    rows: list[RowSummary]


class FileReply(TypedDict, total=False):
    """Kernel → frontend: the picture as a file (an HTML page, an SVG) in buffers[0], of type
    ``mime``, or why there is none (``error``)."""

    type: Literal["file"]
    filename: str
    mime: str
    error: str


class CsvReply(TypedDict):
    """Kernel → frontend: the projection as CSV text in buffers[0]."""

    type: Literal["csv"]
    filename: str
