"""Checks of the settings a user makes from Python on an EmbeddingView (the widget's own controls
only offer valid ones; their rare errors show in the widget instead)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import InvalidSetting
from ..projection import ALGORITHMS, check_params

__all__ = ["InvalidSetting", "check_algorithm_params", "check_columns", "checked_algorithm"]


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


def check_columns(setting: str, value: str | Sequence[str], kinds: Mapping[str, str]) -> None:
    """Raise InvalidSetting unless every column named exists (and ``image_column`` holds images)."""
    names = [value] if isinstance(value, str) else list(value)
    unknown = [c for c in names if c not in kinds]
    if unknown:
        raise InvalidSetting(
            f"{setting}: no column named {', '.join(map(repr, unknown))}; "
            f"the table has {', '.join(map(repr, kinds))}"
        )
    if setting == "image_column" and isinstance(value, str) and kinds[value] != "image":
        raise InvalidSetting(
            f"image_column: {value!r} is a {kinds[value]} column, not an image column"
        )
