"""Long tables of training steps: one row per (item, step), as a run logs a table at each step.

``wide_steps`` turns them into one row per item with an embedding column per step
(``emb@100``), which is what a view's ``steps`` lays out in order.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd


def wide_steps(
    frame: pd.DataFrame,
    step: str,
    key: str,
    embedding: str,
    missing: Literal["error", "drop"] = "error",
) -> tuple[pd.DataFrame, list[str]]:
    """One row per ``key`` with an embedding column a step, and the names of those columns (in
    step order). Other columns keep their values at the last step.

    Raises ``ValueError`` for a column not in ``frame``, a key repeated within a step, or (with
    ``missing="error"``) a key without a row at some step; ``missing="drop"`` keeps only the
    keys found at every step.
    """
    for role, name in (("step", step), ("key", key), ("embedding", embedding)):
        if name not in frame.columns:
            raise ValueError(
                f"the {role} column {name!r} is not in the table (its columns: "
                f"{', '.join(map(str, frame.columns))})"
            )
    values = _step_order(frame[step])
    if len(values) < 2:
        raise ValueError(f"the step column {step!r} holds {len(values)} step; steps need 2 or more")
    per_step = [_one_step(frame, step, key, value) for value in values]
    keys = _keys_at_every_step(per_step, values, key, missing)
    wide = per_step[-1].loc[keys].drop(columns=[step, embedding]).reset_index()
    columns = [f"{embedding}@{value}" for value in values]
    for name, rows in zip(columns, per_step, strict=True):
        wide[name] = rows.loc[keys, embedding].to_list()
    return wide, columns


def _step_order(steps: pd.Series) -> list[Any]:
    """The steps: in numeric order when they are numbers, else in the order they first appear."""
    unique = [v.item() if hasattr(v, "item") else v for v in pd.unique(steps.dropna())]
    if pd.api.types.is_numeric_dtype(steps):
        return sorted(unique)
    return unique


def _one_step(frame: pd.DataFrame, step: str, key: str, value: Any) -> pd.DataFrame:
    rows = frame[frame[step] == value]
    repeated = rows[key][rows[key].duplicated()]
    if len(repeated):
        count = int((rows[key] == repeated.iloc[0]).sum())
        raise ValueError(
            f"the {key} {repeated.iloc[0]!r} has {count} rows at step {value!r}: each key needs "
            "one row a step"
        )
    indexed: pd.DataFrame = rows.set_index(key)
    return indexed


def _keys_at_every_step(
    per_step: list[pd.DataFrame], values: list[Any], key: str, missing: str
) -> pd.Index:
    everywhere, anywhere = per_step[0].index, per_step[0].index
    for rows in per_step[1:]:
        everywhere = everywhere.intersection(rows.index, sort=False)
        anywhere = anywhere.union(rows.index, sort=False)
    if missing == "error":
        for rows, value in zip(per_step, values, strict=True):
            absent = anywhere.difference(rows.index, sort=False)
            if len(absent):
                raise ValueError(
                    f"the {key} {absent[0]!r} has no row at step {value!r} ({len(absent)} of "
                    f"{len(anywhere)} keys miss it): every key needs a row at every step, or "
                    f"pass missing='drop' to keep the {len(everywhere)} keys found at every step"
                )
    if not len(everywhere):
        raise ValueError("no key has a row at every step")
    return everywhere
