"""The parameter schema: the single source of truth for names, types, ranges, defaults and help.

The frontend builds its controls from :func:`param_schema` (JSON); Python validates every request
against the same specs with :func:`validate_params`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ALGORITHMS: tuple[str, ...] = ("pca", "umap", "tsne")
LABELS = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}
METRICS = ("euclidean", "cosine", "manhattan", "correlation")
PREPROCESS_MODES = ("auto", "none", "standardize", "normalize", "spherize")
#: PCA components computed once per embedding; component switches are slices of these.
MAX_PCA_COMPONENTS = 10
#: Epochs of a UMAP layout that starts from the previous one (start="previous").
WARM_EPOCHS = 100
#: Iterations of a t-SNE layout that starts from the previous one (start="previous").
WARM_ITERATIONS = 100
#: Fewest rows each algorithm can lay out: PCA needs two; neighbourhoods (UMAP, t-SNE) four.
MIN_ROWS = {"pca": 2, "umap": 4, "tsne": 4}
SEED_MAX = 2**31 - 1
_ANY_SIZE = 2**31 - 1  # a data size that no parameter is clamped to


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: ``type`` is "int", "float" or "choice"; ``nullable`` is the label of None."""

    name: str
    label: str
    type: str
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    options: tuple[str, ...] = ()
    nullable: str | None = None
    #: the frontend's control: "slider", or "select" (a dropdown: choices, small integer ranges)
    control: str = "slider"

    def to_json(self) -> dict[str, Any]:
        control = "select" if self.type == "choice" else self.control
        out: dict[str, Any] = {
            "name": self.name, "label": self.label, "type": self.type, "control": control
        }  # fmt: skip
        if self.type == "choice":
            out["options"] = list(self.options)
        else:
            out.update(min=self.min, max=self.max, step=self.step)
        out["default"] = self.default
        if self.nullable is not None:
            out["nullable"] = self.nullable
        out["help"] = self.help
        return out


def _pca_dims(default: int | None) -> ParamSpec:
    return ParamSpec(
        "pca_dims", "PCA pre-reduction", "int", default,
        "Reduce the embedding to this many principal components first (only when it has more "
        "dimensions). Faster, and often removes noise.",
        min=2, max=256, step=1, nullable="all dimensions",
    )  # fmt: skip


def _seed(random_note: str) -> ParamSpec:
    return ParamSpec(
        "random_state", "random seed", "int", 42,
        f"Same seed and settings give the same picture. {random_note}",
        min=0, max=SEED_MAX, step=1, nullable="random",
    )  # fmt: skip


def _preprocess() -> ParamSpec:
    return ParamSpec(
        "preprocess", "preprocess", "choice", "auto",
        "What the embedding goes through first. standardize: each column to unit variance "
        "(numeric columns of different units); normalize: each row to unit length; spherize: "
        "centre, then unit length. auto: standardize when the columns' ranges differ more "
        "than 100x, else none (and none for a vector column).",
        options=PREPROCESS_MODES,
    )  # fmt: skip


def _metric(help_text: str) -> ParamSpec:
    return ParamSpec("metric", "metric", "choice", "euclidean", help_text, options=METRICS)


SPECS: dict[str, tuple[ParamSpec, ...]] = {
    "pca": (
        ParamSpec("x_component", "x component", "int", 1,
                  "Principal component shown on the x axis (1 = most variance).",
                  min=1, max=MAX_PCA_COMPONENTS, step=1, control="select"),
        ParamSpec("y_component", "y component", "int", 2,
                  "Principal component shown on the y axis.",
                  min=1, max=MAX_PCA_COMPONENTS, step=1, control="select"),
        _preprocess(),
    ),
    "umap": (
        ParamSpec("n_neighbors", "neighbours", "int", 15,
                  "Size of the neighbourhood UMAP looks at: small values keep local detail, "
                  "large values show more global structure.", min=2, max=200, step=1),
        ParamSpec("min_dist", "min distance", "float", 0.1,
                  "How tightly points may pack together in the layout.",
                  min=0.0, max=0.99, step=0.01),
        ParamSpec("spread", "spread", "float", 1.0,
                  "Scale of the embedded points; with min distance sets how clumped clusters are.",
                  min=0.5, max=3.0, step=0.1),
        _metric("Distance between embedding vectors used to find neighbours."),
        ParamSpec("n_epochs", "epochs", "int", None,
                  "Layout optimisation steps; auto is 500 up to 10,000 rows, 200 above.",
                  min=50, max=1000, step=10, nullable="auto"),
        _seed("'random' gives a new picture each time."),
        _pca_dims(None),
        _preprocess(),
        ParamSpec("start", "start from", "choice", "spectral",
                  "spectral: a fresh layout, fully set by the settings and seed. previous: "
                  f"continue from the last UMAP layout for at most {WARM_EPOCHS} epochs; a slider "
                  "move answers several times faster, but the picture then depends on the path.",
                  options=("spectral", "previous")),
    ),
    "tsne": (
        ParamSpec("perplexity", "perplexity", "float", 30.0,
                  "Roughly the number of neighbours each point attends to.",
                  min=2.0, max=100.0, step=1.0),
        ParamSpec("learning_rate", "learning rate", "float", None,
                  "Step size of the optimisation; auto is max(N / exaggeration, 50).",
                  min=10.0, max=1000.0, step=10.0, nullable="auto"),
        ParamSpec("n_iter", "iterations", "int", 750,
                  "Total optimisation iterations, including the early exaggeration phase "
                  "(the first 250).", min=250, max=5000, step=50),
        ParamSpec("early_exaggeration", "early exaggeration", "float", 12.0,
                  "How strongly clusters are pulled together during the first 250 iterations.",
                  min=4.0, max=32.0, step=0.5),
        _metric("Distance between embedding vectors used for the affinities."),
        _seed("'random' gives a new picture each time."),
        _pca_dims(50),
        _preprocess(),
        ParamSpec("start", "start from", "choice", "pca",
                  "pca: a fresh layout from the principal components, fully set by the settings "
                  "and seed. previous: continue from the last t-SNE layout for at most "
                  f"{WARM_ITERATIONS} iterations, without early exaggeration; a slider move "
                  "answers several times faster, but the picture then depends on the path.",
                  options=("pca", "previous")),
    ),
}  # fmt: skip


def _n_components(n_rows: int, n_dims: int) -> int:
    return max(1, min(MAX_PCA_COMPONENTS, n_dims, n_rows))


def perplexity_limit(n_rows: int) -> float:
    """Largest perplexity that ``n_rows`` support: 3 * perplexity neighbours must exist."""
    return math.floor((n_rows - 1) / 3 * 100) / 100


def param_schema(n_rows: int | None = None, n_dims: int | None = None) -> dict[str, Any]:
    """The parameter schema as JSON-serialisable dict, ranges narrowed to the data when given.

    Parameters
    ----------
    n_rows, n_dims
        Shape of the embedding matrix. ``None`` gives the static ranges.

    Returns
    -------
    dict
        ``{algorithm: {"label": str, "params": [spec, ...]}}``; each spec has ``name``, ``label``,
        ``type`` ("int", "float", "choice"), ``min``/``max``/``step`` or ``options``, ``default``,
        ``help`` and, when None is allowed, ``nullable`` (the label shown for None).
    """
    out: dict[str, Any] = {}
    for algo in ALGORITHMS:
        params = []
        for spec in SPECS[algo]:
            js = spec.to_json()
            hi = _data_max(algo, spec.name, n_rows, n_dims)
            if hi is not None and spec.max is not None and hi < spec.max:
                js["max"] = max(hi, spec.min) if spec.min is not None else hi
                if isinstance(js["default"], (int, float)) and js["default"] > js["max"]:
                    js["default"] = js["max"]
            params.append(js)
        out[algo] = {"label": LABELS[algo], "params": params}
    return out


def data_limits(n_rows: int, n_dims: int | None) -> dict[str, Any]:
    """What the data allows, apart from the static schema: the table's shape and, per algorithm,
    each parameter's largest value where the data sets one below the schema's maximum.

    The frontend narrows its sliders with this (in place, without rebuilding them).
    """
    maxima: dict[str, dict[str, float]] = {}
    for algo in ALGORITHMS:
        for spec in SPECS[algo]:
            hi = _data_max(algo, spec.name, n_rows, n_dims)
            if hi is not None and spec.max is not None and hi < spec.max:
                lo = spec.min if spec.min is not None else hi
                maxima.setdefault(algo, {})[spec.name] = max(hi, lo)
    return {"n_rows": n_rows, "n_dims": n_dims, "max": maxima}


def _data_max(algo: str, name: str, n_rows: int | None, n_dims: int | None) -> float | None:
    """The largest value the data allows for a parameter, or None when the data sets no limit."""
    if name in ("x_component", "y_component") and (n_dims is not None or n_rows is not None):
        rows = n_rows if n_rows is not None else n_dims
        assert rows is not None
        return _n_components(rows, n_dims if n_dims is not None else rows)
    if name == "n_neighbors" and n_rows is not None:
        return n_rows - 1
    if name == "perplexity" and n_rows is not None:
        return perplexity_limit(n_rows)
    if name == "pca_dims" and n_dims is not None:
        return min(n_dims, n_rows) if n_rows is not None else n_dims
    return None


def check_shape(algorithm: str, n_rows: int, n_dims: int) -> None:
    """Raise ValueError when a matrix of this shape cannot be projected by ``algorithm``."""
    least = MIN_ROWS[algorithm]
    if n_rows < least:
        hint = " (PCA needs only 2)" if algorithm != "pca" else ""
        raise ValueError(
            f"{LABELS[algorithm]} cannot project {n_rows} row(s): at least {least} rows with an "
            f"embedding are needed{hint}"
        )
    if n_dims < 1:
        raise ValueError(f"cannot project an embedding with {n_dims} dimensions: at least 1 needed")


def _coerce(algo: str, spec: ParamSpec, value: object) -> Any:
    """Check one value against its static spec; returns it as the canonical Python type."""
    where = f"{algo} parameter {spec.name!r}"
    if value is None or (spec.nullable is not None and value == spec.nullable):
        if spec.nullable is None:
            raise ValueError(f"{where} cannot be None; expected {_describe(spec)}")
        return None
    if spec.type == "choice":
        if not isinstance(value, str) or value not in spec.options:
            raise ValueError(f"{where} got {value!r}; expected {_describe(spec)}")
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{where} got {value!r}; expected {_describe(spec)}")
    num = float(value)
    if not math.isfinite(num):
        raise ValueError(f"{where} got {value!r}; expected {_describe(spec)}")
    if spec.type == "int":
        if not num.is_integer():
            raise ValueError(f"{where} got {value!r}; expected {_describe(spec)}")
        out: int | float = int(num)
    else:
        out = num
    assert spec.min is not None and spec.max is not None
    if not spec.min <= out <= spec.max:
        raise ValueError(f"{where} got {value!r}; expected {_describe(spec)}")
    return out


def _describe(spec: ParamSpec) -> str:
    if spec.type == "choice":
        text = "one of " + ", ".join(repr(o) for o in spec.options)
    else:
        kind = "an integer" if spec.type == "int" else "a number"
        text = f"{kind} from {_fmt(spec.min)} to {_fmt(spec.max)}"
    if spec.nullable is not None:
        text += f", or None / {spec.nullable!r}"
    return text


def _fmt(x: float | None) -> str:
    return "?" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def check_params(algorithm: str, params: Mapping[str, object]) -> None:
    """Raise ValueError for an unknown name or a value outside the schema, whatever the data."""
    validate_params(algorithm, params, _ANY_SIZE, _ANY_SIZE)


def validate_params(
    algorithm: str, params: Mapping[str, object], n_rows: int, n_dims: int
) -> tuple[dict[str, Any], list[str]]:
    """Check parameters against the schema and fit them to the data.

    Parameters
    ----------
    algorithm
        One of :data:`ALGORITHMS`.
    params
        Any subset of the algorithm's parameters; missing ones get their defaults. None (or the
        nullable label, e.g. ``"auto"``) selects the nullable behaviour.
    n_rows, n_dims
        Shape of the embedding matrix.

    Returns
    -------
    (params, notices)
        Every parameter of the algorithm with values clamped to what the data allows, and one
        notice per clamped value.

    Raises
    ------
    ValueError
        Unknown algorithm or parameter name (the message lists the allowed ones), a value of the
        wrong type or outside the schema range (the message gives the range), or a matrix with
        too few rows for the algorithm (see MIN_ROWS) or no dimensions.
    """
    if algorithm not in SPECS:
        raise ValueError(
            f"unknown algorithm {algorithm!r}; expected one of {', '.join(map(repr, ALGORITHMS))}"
        )
    check_shape(algorithm, n_rows, n_dims)
    specs = {s.name: s for s in SPECS[algorithm]}
    unknown = [name for name in params if name not in specs]
    if unknown:
        raise ValueError(
            f"unknown {algorithm} parameter(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(specs)}"
        )
    out = {
        name: _coerce(algorithm, spec, params[name]) if name in params else spec.default
        for name, spec in specs.items()
    }
    notices: list[str] = []
    _clamp_to_data(algorithm, out, set(params), n_rows, n_dims, notices)
    return out, notices


def _clamp_to_data(
    algo: str, out: dict[str, Any], given: set[str], n_rows: int, n_dims: int, notices: list[str]
) -> None:
    def clamp(name: str, hi: float, why: str) -> None:
        if out[name] is not None and out[name] > hi:
            notices.append(f"{name} clamped from {_fmt(out[name])} to {_fmt(hi)} ({why})")
            out[name] = hi

    rows = f"only {n_rows} rows"
    if algo == "pca":
        n_comp = _n_components(n_rows, n_dims)
        for name in ("x_component", "y_component"):
            clamp(name, n_comp, f"only {n_comp} principal component(s) for {n_rows}x{n_dims} data")
    elif algo == "umap":
        clamp("n_neighbors", n_rows - 1, rows)
        clamp("min_dist", out["spread"], "min_dist cannot exceed spread")
    elif algo == "tsne":
        clamp("perplexity", perplexity_limit(n_rows), f"{rows}; needs 3 x perplexity < rows")
    if "pca_dims" in out and out["pca_dims"] is not None and out["pca_dims"] >= min(n_dims, n_rows):
        if "pca_dims" in given:
            notices.append(
                f"pca_dims {out['pca_dims']} not applied: the embedding has only "
                f"{min(n_dims, n_rows)} {'dimensions' if n_dims <= n_rows else 'rows'}"
            )
        out["pca_dims"] = None
