"""Shared pytest set-up."""

import os

# Widgets made by these tests must not start umap's background JIT warm-up in the test process.
os.environ.setdefault("EMBED_WIDGET_WARM_UP", "0")
