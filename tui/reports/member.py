"""A member's card as text and JSON: `shopfloor member`, from the same function as the screen."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime

from tui.db.members import MemberCard
from tui.db.queue import REASON_LABELS
from tui.reports.text import phone_words


def _yuan(cents: int) -> str:
    return f"¥{cents / 100:,.2f}"


def card_text(card: MemberCard) -> str:
    c = card.completeness
    consent = {None: "not asked", True: "yes", False: "refused"}[card.accepts_promotions]
    out = [f"{card.name}  {card.member_no}  {phone_words(card.fields.get('phone'))}",
           f"owner {card.owner or '—'}  ·  promotions: {consent}"
           + ("  ·  DO NOT CONTACT" if card.do_not_contact else ""),
           f"{card.tier.name} ({card.tier.benefit})  ·  spent {_yuan(card.total_spend_cents)}"
           + (f"  ·  {_yuan(card.to_next_tier_cents)} more to {card.next_tier.name}"
              if card.next_tier else ""),
           f"archive {c.percent}%  (hard {c.hard_filled}/{c.hard_total}, soft "
           f"{c.soft_filled}/{c.soft_total})" + (f"  ·  ask next: {c.ask_next}" if c.ask_next else "")]
    if card.notes:
        out.append("notes:")
        out += [f"  {n.written_at:%Y-%m-%d}  {n.staff}: {n.text}" for n in card.notes]
    if card.children:
        out.append("children: " + "; ".join(f"{ch.name or 'baby'} {ch.age}" for ch in card.children))
    if card.callbacks:
        out.append("open callbacks:")
        out += [f"  {cb.due_on}  {REASON_LABELS.get(cb.reason, cb.reason)}  {cb.detail}"
                for cb in card.callbacks]
    if card.purchases:
        out.append("purchases:")
        out += [f"  {p.purchased_at:%Y-%m-%d %H:%M}  {p.product} ×{p.quantity}  {_yuan(p.amount_cents)}"
                for p in card.purchases]
    if card.contacts:
        out.append("tracking log:")
        out += [f"  {t.contacted_at:%Y-%m-%d %H:%M}  {t.staff}  {t.channel}  {t.outcome}"
                + (f"  {t.note}" if t.note else "") for t in card.contacts]
    return "\n".join(out) + "\n"


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value))


def card_json(card: MemberCard) -> str:
    doc = asdict(card)
    doc["completeness"]["percent"] = card.completeness.percent
    return json.dumps(doc, ensure_ascii=False, indent=2, default=_plain) + "\n"
