"""Lookup hits as text and JSON: `shopfloor lookup`, from the same function as the screen."""

from __future__ import annotations

import json

from tui.db.members.lookup import COUNT_CAP, LookupHit
from tui.money import Fen, yuan
from tui.reports.text import fit, fit_right
from tui.text import json_safe, shown


def found_words(shown: int, found: int) -> str:
    """"3 found", or for a page of many "20 shown of 197" (count_members counts to its cap)."""
    if found <= shown:
        return f"{shown} found"
    return f"{shown} shown of " + (f"{found:,}" if found <= COUNT_CAP else f"over {COUNT_CAP:,}")


def hits_text(hits: list[LookupHit], found: int | None = None) -> str:
    if not hits:
        return "No member found.\n"
    more = ([f"{found_words(len(hits), found)}: type more of the phone or name to narrow."]
            if found is not None and found > len(hits) else [])
    out = [fit("member no", 9) + "  " + fit("name", 12) + "  " + fit("phone", 11) + "  "
           + fit("owner", 8) + "  " + fit_right("spend", 10) + "  matched"]
    for h in hits:
        out.append(fit(h.member_no, 9) + "  " + fit(h.name, 12) + "  " + fit(h.phone or "", 11)
                   + "  " + fit(h.owner or "—", 8) + "  "
                   + fit_right(yuan(h.total_spend_cents, Fen.ALWAYS, symbol=False), 10) + "  " + h.matched)
    return shown("\n".join(line.rstrip() for line in out + more) + "\n")


def hits_json(query: str, hits: list[LookupHit], found: int | None = None) -> str:
    doc = {"query": query, "found": len(hits) if found is None else found, "hits": [
        {"member_id": h.member_id, "member_no": h.member_no, "name": h.name, "phone": h.phone,
         "phone_tail": h.phone_tail, "owner": h.owner, "total_spend_cents": h.total_spend_cents,
         "matched": h.matched} for h in hits]}
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
