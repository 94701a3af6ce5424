"""The wheel carries the built frontend, so a user installing it needs no node."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_builds_and_ships_the_frontend_bundle(tmp_path: Path) -> None:
    # Build from the tracked files only, as a fresh clone would: no prebuilt static/ to lean on.
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    source = tmp_path / "src"
    for name in filter(None, tracked.split("\0")):
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    assert not (source / "embed_widget" / "static").exists()

    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path / "dist"),
        ],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("embed_widget-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "embed_widget/static/widget.js" in names
    assert "embed_widget/static/widget.css" in names
    assert "embed_widget/static/standalone.js" in names  # the saved HTML page's bundle
    assert "embed_widget/table.py" in names
    assert not any(name.startswith(("tests/", "js/", "node_modules/")) for name in names)
    bundle = zipfile.ZipFile(wheel).read("embed_widget/static/widget.js")
    assert b"render" in bundle and len(bundle) > 50_000
