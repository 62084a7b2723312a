"""Copies of the repository's settings.toml with one line changed, for the settings tests."""

from __future__ import annotations

from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
REPO_SETTINGS = REPO / "settings.toml"


def variant(tmp_path: Path, old: str, new: str, name: str = "settings.toml") -> Path:
    """A copy of settings.toml with `old` (found exactly once) replaced by `new`."""
    text = REPO_SETTINGS.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"settings.toml no longer has exactly one {old!r}"
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path
