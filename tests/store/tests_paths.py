"""Paths and skip markers for the store tests (mirrors tests/conftest.py, importable here)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))
NEWS_DEV = SHARED / "data" / "news_dev"
needs_news_dev = pytest.mark.skipif(not NEWS_DEV.exists(), reason=f"evaluation data not found: {NEWS_DEV}")
