"""The layers: tui/db and tui/reports never import Textual."""

from __future__ import annotations


def test_db_and_reports_never_import_textual():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "tui"
    offenders = [str(p) for layer in ("db", "reports") for p in (root / layer).rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+textual", p.read_text(), re.M)]
    assert offenders == []
