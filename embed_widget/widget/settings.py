"""Checks of the settings a user makes from Python on an EmbeddingView (the widget's own controls
only offer valid ones; their rare errors show in the widget instead)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidSetting
from ..projection import ALGORITHMS, check_params
from .encodings import ROLES
from .protocol import Role

if TYPE_CHECKING:
    from ..data import Table

__all__ = [
    "InvalidSetting",
    "check_algorithm_params",
    "check_columns",
    "check_selection",
    "checked_algorithm",
    "smart_defaults",
]


#: The settings an EmbeddingView takes as keyword arguments (its public traits).
ACCEPTED = (
    "algorithm", "params", "embedding", "color_by", "color_scale", "image_column", "selection",
    "selection_column", "search", "search_column", "filter", "subset", "neighbor_metric",
    "labels", "label_column", "density", "steps", "step",
)  # fmt: skip


def checked_algorithm(value: object) -> str:
    """``value`` as an algorithm name (case-insensitive)."""
    name = str(value).lower()
    if name not in ALGORITHMS:
        raise InvalidSetting(f"algorithm must be one of {list(ALGORITHMS)}, not {name!r}")
    return name


def check_algorithm_params(algorithm: str, params: Mapping[str, object]) -> None:
    """Raise InvalidSetting for a parameter the schema does not know or a value out of its range."""
    try:
        check_params(algorithm, params)
    except ValueError as error:
        raise InvalidSetting(str(error)) from None


def check_columns(
    setting: str, value: str | Sequence[str], kinds: Mapping[str, str], *, empty: bool = False
) -> None:
    """Raise InvalidSetting unless every column named exists and can serve ``setting``
    (``embedding``: numeric or vector columns; ``color_by``: colourable ones; ``image_column``:
    images). In an ``empty`` table kinds are unknown yet: any existing column goes."""
    names = [value] if isinstance(value, str) else list(value)
    unknown = [c for c in names if c not in kinds]
    if unknown:
        raise InvalidSetting(
            f"{setting}: no column named {', '.join(map(repr, unknown))}; "
            f"the table has {', '.join(map(repr, kinds))}"
        )
    role = _ROLE_OF[setting]
    if empty:
        return
    wrong = [c for c in names if role not in ROLES.get(kinds[c], [])]
    if wrong:
        allowed = [c for c, kind in kinds.items() if role in ROLES.get(kind, [])]
        what = ", ".join(f"{c!r} is a {kinds[c]} column" for c in wrong)
        raise InvalidSetting(
            f"{setting}: {what}, which cannot be {_USE[role]}; "
            f"allowed: {', '.join(map(repr, allowed)) or 'none in this table'}"
        )


_ROLE_OF: dict[str, Role] = {
    "embedding": "embedding", "color_by": "color", "image_column": "image",
    "selection_column": "label",
}  # fmt: skip
_USE = {
    "embedding": "part of the embedding (numeric or embedding columns)",
    "color": "a colour (categorical, numeric or short-text columns)",
    "image": "shown on hover (image columns)",
    "label": "listed for the selection (text, categorical or numeric columns)",
}


def smart_defaults(table: Table, algorithm: str) -> dict[str, Any]:
    """The settings a view of ``table`` starts from (and returns to while the user has not
    chosen them): ``algorithm`` (the session's default), the default embedding, colour and image
    columns, and the column the selection list shows (the first text column, else the colour
    column)."""
    kinds = table.column_kinds
    text = next((name for name, kind in kinds.items() if kind == "text"), None)
    return {
        "algorithm": algorithm,
        "embedding": list(table.default_embedding_columns),
        "color_by": table.default_color_column,
        "image_column": table.default_image_column,
        "selection_column": text or table.default_color_column,
    }


def check_selection(indices: np.ndarray, n_rows: int, name: str = "selection") -> None:
    """Raise InvalidSetting for a row index the table does not have."""
    if indices.size and int(indices.max()) >= n_rows:
        raise InvalidSetting(
            f"{name}: row {int(indices.max())} is out of range; the table has {n_rows} rows "
            f"(0 to {n_rows - 1})"
        )
