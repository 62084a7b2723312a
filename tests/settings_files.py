"""Copies of the repository's settings.toml with one line changed, for the settings tests."""

from __future__ import annotations

import re
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
REPO_SETTINGS = REPO / "settings.toml"


def english_text() -> str:
    """settings.toml as the repository has it, but in English: the demo shop speaks
    Chinese, and a test in English (most of them) must not depend on that."""
    text = REPO_SETTINGS.read_text(encoding="utf-8")
    english, count = re.subn(r'(?m)^language = "[^"]*"', 'language = "en"', text)
    assert count == 1, "settings.toml no longer has one [shop] language line"
    return english


def variant(tmp_path: Path, old: str, new: str, name: str = "settings.toml") -> Path:
    """A copy of settings.toml in English with `old` (found exactly once) replaced by `new`."""
    text = english_text()
    assert text.count(old) == 1, f"settings.toml no longer has exactly one {old!r}"
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path
