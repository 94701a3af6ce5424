"""The package's shape: layers import only downwards, and no module or function grows too big."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "embed_widget"
#: Each layer and the package-level modules it may import (besides itself and leaf modules).
LAYERS = {
    "data": set(),
    "projection": set(),
    "session": {"data", "projection"},
    "widget": {"data", "projection", "session"},
}
LEAVES = {"errors"}  # imported by any layer; they import nothing of the package
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 50


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.parts)


def package_imports(path: Path) -> set[str]:
    """The top-level parts of the package (``data``, ``widget``...) that ``path`` imports."""
    depth = len(path.relative_to(PACKAGE).parts) - 1  # 0: embed_widget/x.py, 1: embed_widget/a/x.py
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] == "embed_widget" and len(parts) > 1:
                    found.add(parts[1])
                continue
            if node.level == depth + 1:  # from the package root: from ..x import / from . import x
                names = [node.module] if node.module else [a.name for a in node.names]
                found.update(n.split(".")[0] for n in names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "embed_widget" and len(parts) > 1:
                    found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layers_import_only_downwards(layer: str) -> None:
    allowed = LAYERS[layer] | LEAVES | {layer}
    wrong = {
        str(path.relative_to(PACKAGE)): sorted(package_imports(path) - allowed)
        for path in (PACKAGE / layer).rglob("*.py")
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_leaf_modules_import_nothing_of_the_package() -> None:
    for leaf in LEAVES:
        assert package_imports(PACKAGE / f"{leaf}.py") == set()


def test_no_module_passes_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules()
        if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES
    }
    assert long == {}


def test_no_function_passes_50_lines() -> None:
    """Counted from the signature to the end, without the docstring (numpy-style docstrings of
    the public API are long by design)."""
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                doc = node.body[0]
                if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant):
                    lines -= (doc.end_lineno or doc.lineno) - doc.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = lines
    assert long == {}
