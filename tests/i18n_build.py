"""The catalogues compiled from their .po files with Babel, as `make` does (its .mo rule):
for a bare `pytest`, and for the catalogue tests."""

from __future__ import annotations

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tui.i18n import LANGUAGES, LOCALE_DIR


def compile_catalogues() -> None:
    """Each language's .mo written again when it is missing or older than its .po."""
    for folder in LANGUAGES.values():
        po = LOCALE_DIR / folder / "LC_MESSAGES" / "shopfloor.po"
        if not po.exists():
            continue
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
