"""Lookup hits as text and JSON: `shopfloor lookup`, from the same function as the screen."""

from __future__ import annotations

import json

from tui.db.members.lookup import LookupHit
from tui.money import Fen, yuan
from tui.reports.text import fit, fit_right
from tui.text import json_safe, shown


def hits_text(hits: list[LookupHit]) -> str:
    if not hits:
        return "No member found.\n"
    out = [fit("member no", 9) + "  " + fit("name", 12) + "  " + fit("phone", 11) + "  "
           + fit("owner", 8) + "  " + fit_right("spend", 10) + "  matched"]
    for h in hits:
        out.append(fit(h.member_no, 9) + "  " + fit(h.name, 12) + "  " + fit(h.phone or "", 11)
                   + "  " + fit(h.owner or "—", 8) + "  "
                   + fit_right(yuan(h.total_spend_cents, Fen.ALWAYS, symbol=False), 10) + "  " + h.matched)
    return shown("\n".join(line.rstrip() for line in out) + "\n")


def hits_json(query: str, hits: list[LookupHit]) -> str:
    doc = {"query": query, "hits": [
        {"member_id": h.member_id, "member_no": h.member_no, "name": h.name, "phone": h.phone,
         "phone_tail": h.phone_tail, "owner": h.owner, "total_spend_cents": h.total_spend_cents,
         "matched": h.matched} for h in hits]}
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
