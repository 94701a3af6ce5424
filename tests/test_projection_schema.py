"""Parameter schema and validation (no computation)."""

from __future__ import annotations

import json

import pytest

from embed_widget.projection import ALGORITHMS, param_schema, validate_params
from embed_widget.projection.schema import SPECS


def _spec(schema: dict, algo: str, name: str) -> dict:
    return next(p for p in schema[algo]["params"] if p["name"] == name)


def test_schema_is_json_and_complete() -> None:
    schema = param_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert tuple(schema) == ALGORITHMS
    for algo in ALGORITHMS:
        assert schema[algo]["label"]
        for p in schema[algo]["params"]:
            assert {"name", "label", "type", "default", "help"} <= set(p)
            assert p["type"] in ("int", "float", "choice")
            if p["type"] == "choice":
                assert p["default"] in p["options"]
            else:
                assert p["min"] < p["max"] and p["step"] > 0
                assert p["default"] is None or p["min"] <= p["default"] <= p["max"]
            if p["default"] is None:
                assert isinstance(p["nullable"], str)


def test_schema_matches_issue_ranges() -> None:
    s = param_schema()
    assert (_spec(s, "umap", "n_neighbors")["min"], _spec(s, "umap", "n_neighbors")["max"]) == (
        2,
        200,
    )
    assert _spec(s, "umap", "metric")["options"] == [
        "euclidean",
        "cosine",
        "manhattan",
        "correlation",
    ]
    assert _spec(s, "umap", "n_epochs")["nullable"] == "auto"
    assert _spec(s, "umap", "pca_dims")["default"] is None
    assert _spec(s, "tsne", "pca_dims")["default"] == 50
    assert _spec(s, "tsne", "learning_rate")["nullable"] == "auto"
    assert (_spec(s, "tsne", "n_iter")["min"], _spec(s, "tsne", "n_iter")["max"]) == (250, 5000)
    assert _spec(s, "pca", "x_component")["max"] == 10


def test_schema_narrows_to_data() -> None:
    s = param_schema(n_rows=40, n_dims=3)
    assert _spec(s, "pca", "x_component")["max"] == 3
    assert _spec(s, "pca", "y_component")["max"] == 3
    assert _spec(s, "umap", "n_neighbors")["max"] == 39
    assert _spec(s, "tsne", "perplexity")["max"] == 13.0
    assert _spec(s, "tsne", "perplexity")["default"] == 13.0
    assert _spec(s, "umap", "n_neighbors")["default"] == 15


def test_defaults_filled_in_schema_order() -> None:
    params, notices = validate_params("umap", {}, 1000, 20)
    assert list(params) == [s.name for s in SPECS["umap"]]
    assert (
        params["n_neighbors"] == 15 and params["min_dist"] == 0.1 and params["random_state"] == 42
    )
    assert notices == []
    tsne, _ = validate_params("tsne", {}, 1000, 64)
    assert tsne["pca_dims"] == 50 and tsne["perplexity"] == 30.0
    # pca_dims is a no-op (not an error) when the embedding is already small
    tsne_small, notes = validate_params("tsne", {}, 1000, 20)
    assert tsne_small["pca_dims"] is None and notes == []


@pytest.mark.parametrize(
    ("algo", "params", "match"),
    [
        ("umap", {"n_neighbours": 5}, r"allowed: n_neighbors, min_dist"),
        ("umap", {"n_neighbors": 1}, r"from 2 to 200"),
        ("umap", {"n_neighbors": 201}, r"from 2 to 200"),
        ("umap", {"n_neighbors": 15.5}, r"an integer"),
        ("umap", {"n_neighbors": True}, r"n_neighbors"),
        ("umap", {"n_neighbors": None}, r"cannot be None"),
        ("umap", {"min_dist": 1.5}, r"from 0 to 0.99"),
        ("umap", {"min_dist": float("nan")}, r"min_dist"),
        ("umap", {"metric": "hamming"}, r"'euclidean', 'cosine', 'manhattan', 'correlation'"),
        ("umap", {"n_epochs": 10}, r"from 50 to 1000, or None / 'auto'"),
        ("tsne", {"perplexity": 150}, r"from 2 to 100"),
        ("tsne", {"learning_rate": "fast"}, r"learning_rate"),
        ("tsne", {"n_iter": 100}, r"from 250 to 5000"),
        ("tsne", {"early_exaggeration": 50}, r"from 4 to 32"),
        ("pca", {"x_component": 0}, r"from 1 to 10"),
        ("pca", {"x_component": 11}, r"from 1 to 10"),
        ("pca", {"n_neighbors": 5}, r"allowed: x_component, y_component"),
    ],
)
def test_invalid_values_name_the_range(algo: str, params: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        validate_params(algo, params, 1000, 64)


def test_unknown_algorithm_lists_algorithms() -> None:
    with pytest.raises(ValueError, match=r"'pca', 'umap', 'tsne'"):
        validate_params("isomap", {}, 100, 5)


def test_nullable_label_and_numeric_types_accepted() -> None:
    import numpy as np

    params, _ = validate_params(
        "tsne", {"learning_rate": "auto", "n_iter": np.int64(500), "perplexity": 20}, 1000, 8
    )
    assert params["learning_rate"] is None
    assert params["n_iter"] == 500 and type(params["n_iter"]) is int
    assert params["perplexity"] == 20.0 and type(params["perplexity"]) is float
    umap, _ = validate_params("umap", {"n_neighbors": 30.0, "random_state": "random"}, 1000, 8)
    assert umap["n_neighbors"] == 30 and umap["random_state"] is None


def test_clamps_carry_notices() -> None:
    p, notes = validate_params("umap", {"n_neighbors": 200}, 50, 8)
    assert p["n_neighbors"] == 49
    assert notes == ["n_neighbors clamped from 200 to 49 (only 50 rows)"]
    # the default is clamped too when the table is tiny
    p, notes = validate_params("umap", {}, 10, 8)
    assert p["n_neighbors"] == 9 and "n_neighbors" in notes[0]

    p, notes = validate_params("tsne", {"perplexity": 30}, 40, 8)
    assert p["perplexity"] == 13.0 and "perplexity clamped from 30 to 13" in notes[0]

    p, notes = validate_params("pca", {"x_component": 4, "y_component": 5}, 100, 3)
    assert (p["x_component"], p["y_component"]) == (3, 3) and len(notes) == 2
    p, notes = validate_params("pca", {}, 100, 1)
    assert (p["x_component"], p["y_component"]) == (1, 1) and "y_component" in notes[0]

    p, notes = validate_params("umap", {"pca_dims": 100}, 1000, 64)
    assert p["pca_dims"] is None and "pca_dims 100 not applied" in notes[0]

    p, notes = validate_params("umap", {"min_dist": 0.9, "spread": 0.5}, 100, 4)
    assert p["min_dist"] == 0.5 and "min_dist cannot exceed spread" in notes[0]


@pytest.mark.parametrize(
    ("rows", "dims", "match"), [(1, 5, r"at least \d rows"), (10, 0, "at least 1")]
)
def test_too_small_data_is_a_clear_error(rows: int, dims: int, match: str) -> None:
    for algo in ALGORITHMS:
        with pytest.raises(ValueError, match=match):
            validate_params(algo, {}, rows, dims)
    with pytest.raises(ValueError, match="UMAP cannot project 3 row"):
        validate_params("umap", {}, 3, 5)
    assert validate_params("pca", {}, 3, 5)[0]["x_component"] == 1
