"""Errors every layer may raise (a leaf module: it imports nothing of the package)."""

from __future__ import annotations

import traitlets


class InvalidSetting(traitlets.TraitError, ValueError):
    """A setting made from Python that the table or the parameter schema does not allow.

    A ``ValueError``; also a ``traitlets.TraitError``, so a widget trait set inside
    ``hold_trait_notifications`` rolls back cleanly.
    """
