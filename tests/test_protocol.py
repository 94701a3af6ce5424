"""The wire protocol is stated twice, in Python TypedDicts and TypeScript interfaces: their keys,
and the synced traits, must match."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from embed_widget.projection import param_schema
from embed_widget.session import Status
from embed_widget.widget import EmbeddingView, protocol
from embed_widget.widget.clusters import Clustering
from embed_widget.widget.explore import Exploring
from embed_widget.widget.linking import Linking
from embed_widget.widget.stepping import Stepping

JS = Path(__file__).parent.parent / "js" / "protocol"


def interfaces() -> dict[str, set[str]]:
    """Each ``export interface Name { key: ...; key?: ... }`` of js/protocol/*.ts: its keys."""
    out: dict[str, set[str]] = {}
    for path in JS.glob("*.ts"):
        for name, body in re.findall(
            r"export interface (\w+) \{\n(.*?)\n\}", path.read_text(), re.S
        ):
            out[name] = set(re.findall(r"^  (\w+)\??:", body, re.M))
    return out


PAIRS: list[tuple[str, Any]] = [
    ("Status", Status),
    ("ColumnInfo", protocol.ColumnInfo),
    ("Limits", protocol.Limits),
    ("Layout", protocol.Layout),
    ("NoColors", protocol.NoColors),
    ("CategoricalColors", protocol.CategoricalColors),
    ("ContinuousColors", protocol.ContinuousColors),
    ("RowReply", protocol.RowReply),
    ("RowSummary", protocol.RowSummary),
    ("RowsReply", protocol.RowsReply),
    ("CsvReply", protocol.CsvReply),
    ("DetailsReply", protocol.DetailsReply),
    ("Neighbor", protocol.Neighbor),
    ("SearchState", protocol.SearchState),
    ("FilterState", protocol.FilterState),
    ("ClusterState", protocol.ClusterState),
    ("LiveReply", protocol.LiveReply),
    ("LinkState", protocol.LinkState),
    ("StepsState", protocol.StepsState),
    ("FileReply", protocol.FileReply),
]


@pytest.mark.parametrize(("name", "typed"), PAIRS, ids=[name for name, _ in PAIRS])
def test_typescript_and_python_name_the_same_keys(name: str, typed: Any) -> None:
    assert interfaces()[name] == set(get_type_hints(typed))


def test_the_traits_interface_lists_the_synced_traits() -> None:
    own = set(EmbeddingView.class_own_traits(sync=lambda v: v))
    own |= set(Exploring.class_own_traits(sync=lambda v: v))
    own |= set(Clustering.class_own_traits(sync=lambda v: v))
    own |= set(Linking.class_own_traits(sync=lambda v: v))
    own |= set(Stepping.class_own_traits(sync=lambda v: v))
    assert interfaces()["Traits"] == own


def test_param_specs_carry_what_the_controls_read() -> None:
    keys = {key for algo in param_schema().values() for spec in algo["params"] for key in spec}
    assert keys <= interfaces()["ParamSpec"]
    assert {spec["control"] for algo in param_schema().values() for spec in algo["params"]} == {
        "slider",
        "select",
    }
