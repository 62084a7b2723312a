"""Lookup hits as text and JSON: `shopfloor lookup`, from the same function as the screen."""

from __future__ import annotations

import json

from tui.db.members.lookup import COUNT_CAP, LookupHit
from tui.i18n import N_, _, ngettext
from tui.money import Fen, yuan
from tui.reports.text import fit, fit_right
from tui.text import json_safe, shown


#: how a hit was found (LookupHit.matched, a stable code), in words
MATCHED = {"phone": N_("phone"), "phone tail": N_("phone tail"), "member no": N_("member no"),
           "name": N_("name"), "pinyin": N_("pinyin"), "initials": N_("initials")}


def matched_words(matched: str) -> str:
    """How a hit was found, in the language spoken now ("phone tail" / "尾号")."""
    return _(MATCHED[matched]) if matched in MATCHED else matched


def found_words(shown: int, found: int) -> str:
    """"3 found", or for a page of many "20 shown of 197" (count_members counts to its cap)."""
    if found <= shown:
        return ngettext("{n} found", "{n} found", shown).format(n=shown)
    if found <= COUNT_CAP:
        return _("{n} shown of {found}").format(n=shown, found=f"{found:,}")
    return _("{n} shown of over {cap}").format(n=shown, cap=f"{COUNT_CAP:,}")


def hits_text(hits: list[LookupHit], found: int | None = None) -> str:
    if not hits:
        return _("No member found.") + "\n"
    more = ([_("{found}: type more of the phone or name to narrow.").format(
                found=found_words(len(hits), found))]
            if found is not None and found > len(hits) else [])
    out = [fit(_("member no"), 9) + "  " + fit(_("name"), 12) + "  " + fit(_("phone"), 11) + "  "
           + fit(_("owner"), 8) + "  " + fit_right(_("spend"), 10) + "  " + _("matched")]
    for h in hits:
        out.append(fit(h.member_no, 9) + "  " + fit(h.name, 12) + "  " + fit(h.phone or "", 11)
                   + "  " + fit(h.owner or "—", 8) + "  "
                   + fit_right(yuan(h.total_spend_cents, Fen.ALWAYS, symbol=False), 10) + "  "
                   + matched_words(h.matched))
    return shown("\n".join(line.rstrip() for line in out + more) + "\n")


def hits_json(query: str, hits: list[LookupHit], found: int | None = None) -> str:
    doc = {"query": query, "found": len(hits) if found is None else found, "hits": [
        {"member_id": h.member_id, "member_no": h.member_no, "name": h.name, "phone": h.phone,
         "phone_tail": h.phone_tail, "owner": h.owner, "total_spend_cents": h.total_spend_cents,
         "matched": h.matched} for h in hits]}
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
