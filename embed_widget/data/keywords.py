"""The error message for keyword arguments a constructor does not take."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence


def unknown_keywords(where: str, unknown: Mapping[str, object], accepted: Sequence[str]) -> str:
    """The message for keyword arguments ``where`` does not take, with the closest accepted ones."""
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, accepted, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return (
        f"{where}() got unknown keyword argument(s) {', '.join(parts)}; "
        f"accepted: {', '.join(accepted)}"
    )


def reject_unknown(where: str, given: Mapping[str, object], accepted: Sequence[str]) -> None:
    """Raise ``TypeError`` (see :func:`unknown_keywords`) for keywords not in ``accepted``."""
    unknown = {k: v for k, v in given.items() if k not in accepted}
    if unknown:
        raise TypeError(unknown_keywords(where, unknown, accepted))
