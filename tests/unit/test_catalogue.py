"""The Chinese catalogue: every string the code marks is in it, translated, not fuzzy, with
the same placeholders; and the program speaks it when asked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tui.i18n import LOCALE_DIR, _, language, ngettext, use_language

REPO = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "shopfloor.po"


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle)


def _marked_in_code() -> set[str]:
    """Every msgid the code marks now, extracted as `make catalog` does (babel.cfg)."""
    found = set()
    method_map = [("**.py", "python")]
    for _file, _line, message, _comments, context in extract_from_dir(
            REPO / "tui", method_map, keywords={"_": None, "N_": None, "ngettext": (1, 2),
                                                 "pgettext": ((1, "c"), 2)}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_every_string_the_code_marks_is_in_the_catalogue():
    missing = sorted(_marked_in_code() - _ids(_catalogue()))
    assert not missing, f"{len(missing)} marked strings not in the catalogue (make catalog): {missing[:10]}"


def test_the_catalogue_holds_no_string_the_code_no_longer_marks():
    stale = sorted(_ids(_catalogue()) - _marked_in_code())
    assert not stale, f"strings the code no longer marks (make catalog): {stale[:10]}"


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalog = _catalogue()
    empty = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple)
                                                    else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not empty, f"{len(empty)} untranslated: {empty[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (check and clear the flag): {fuzzy[:10]}"


PLACEHOLDER = re.compile(r"\{[a-z_0-9]*(?:![rsa])?(?::[^{}]*)?\}|%(?:\([a-z_]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def test_each_translation_keeps_the_placeholders_of_its_english():
    wrong = []
    for m in _catalogue():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((ids[0], text))
    assert not wrong, wrong[:5]


def test_the_catalogue_compiles_with_babel():
    # as the install step does it: Babel's own command, which refuses a broken .po
    out = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile",
                          "--statistics", "-D", "shopfloor", "-d", str(LOCALE_DIR), "-l", "zh_CN",
                          "-o", "/dev/stdout"], capture_output=True, text=False)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")


def test_the_program_speaks_chinese_when_asked_and_english_again():
    use_language("zh-CN")
    assert language() == "zh-CN"
    assert _("every screen and command") == "所有画面与命令"
    use_language("en")
    assert _("every screen and command") == "every screen and command"
    assert ngettext("{n} member", "{n} members", 2) == "{n} members"
