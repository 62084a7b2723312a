"""A member's card as text and JSON: `shopfloor member`, from the same function as the screen."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime

from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS
from tui.db.callbacks.queue import REASON_LABELS
from tui.db.members.card import MemberCard
from tui.money import Fen, yuan
from tui.reports.text import phone_words
from tui.text import json_safe, one_line, shown


#: how each archive field reads on the card
FIELD_LABELS = {
    "name": "name", "gender": "gender", "birthday": "birthday/age", "nationality": "nationality",
    "phone": "phone", "email": "e-mail", "address": "address", "total_spend": "total spend",
    "products_bought": "products bought", "occupation": "occupation", "family": "family",
    "personality": "personality", "shopping_habits": "shopping habits", "style": "style",
    "hobbies": "hobbies", "lifestyle": "lifestyle", "accepts_promotions": "promotions",
    "values": "values",
}


def field_label(name: str) -> str:
    """A field as people read it: a field of a settings file's own (vehicle_type) without
    its underscore."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").strip()


def _field_words(name: str, value: object) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    if isinstance(value, str):
        return one_line(value)
    if name == "total_spend":
        return yuan(int(value), Fen.ALWAYS)
    if name == "accepts_promotions":
        return "yes" if value else "refused"
    if value is True:
        return "yes" if name == "products_bought" else "children on file"
    if isinstance(value, int) and name == "birthday":
        return f"about {value}"
    return str(value)


def hidden_words(card: MemberCard) -> str:
    """What stands where a field is not this viewer's to see (tui.db.privacy)."""
    return f"hidden: {card.owner}'s member" if card.owner else "hidden: nobody's member yet"


def profile_lines(card: MemberCard, fields: tuple[str, ...]) -> list[str]:
    return [f"  {field_label(f):<16}"
            + (hidden_words(card) if f in card.hidden and f != "phone"
               else _field_words(f, card.fields.get(f))) for f in fields]


def card_text(card: MemberCard, hard: tuple[str, ...] = (), soft: tuple[str, ...] = ()) -> str:
    c = card.completeness
    consent = {None: "not asked", True: "yes", False: "refused"}[card.accepts_promotions]
    if card.promotions_set_at:
        consent += f" ({card.promotions_set_at:%Y-%m-%d})"
    dnc = (f"  ·  DO NOT CONTACT since {card.do_not_contact_set_at:%Y-%m-%d}"
           if card.do_not_contact and card.do_not_contact_set_at
           else "  ·  DO NOT CONTACT" if card.do_not_contact else "")
    if card.erased_at:
        return shown(f"{card.name}  {card.member_no}\n"
                f"Personal data erased on {card.erased_at:%Y-%m-%d} at the member's request.\n"
                f"Purchase total kept without a name: {yuan(card.total_spend_cents, Fen.ALWAYS)}.")
    out = [f"{card.name}  {card.member_no}  {phone_words(card.fields.get('phone'))}",
           f"owner {card.owner or '—'}  ·  promotions: {consent}{dnc}",
           f"{card.tier.name} ({card.tier.benefit})  ·  spent {yuan(card.total_spend_cents, Fen.ALWAYS)}"
           + (f"  ·  {yuan(card.to_next_tier_cents, Fen.ALWAYS)} more to {card.next_tier.name}"
              if card.next_tier else ""),
           f"archive {c.percent}%  (hard {c.hard_filled}/{c.hard_total}, soft "
           f"{c.soft_filled}/{c.soft_total})" + (f"  ·  ask next: {field_label(c.ask_next)}" if c.ask_next else "")]
    for g in card.gifts:
        earned = f" ({', '.join(g.earned)} earned)" if g.earned and g.next_gift else ""
        out.append(f"gift: {g.rule}: {g.words}{earned}")
    if hard:
        out.append("hard profile:")
        out += profile_lines(card, hard)
    if soft:
        out.append("soft profile:")
        out += profile_lines(card, soft)
    if card.notes:
        out.append("notes:")
        # a note keeps its lines, each under the first
        out += [f"  {n.written_at:%Y-%m-%d}  {n.staff}: " + "\n    ".join(shown(n.text).split("\n"))
                for n in card.notes]
    if card.children:
        out.append("children: " + "; ".join(f"{ch.name or 'baby'} {ch.age}" for ch in card.children))
    if card.callbacks:
        out.append("open callbacks:")
        out += [f"  {cb.due_on}  {REASON_LABELS.get(cb.reason, cb.reason)}  {cb.detail}"
                for cb in card.callbacks]
    if card.purchases:
        out.append("purchases:")
        out += [f"  {p.purchased_at:%Y-%m-%d %H:%M}  {p.product} ×{p.quantity}  {yuan(p.amount_cents, Fen.ALWAYS)}"
                for p in card.purchases]
    if card.contacts:
        out.append("tracking log:")
        out += [f"  {t.contacted_at:%Y-%m-%d %H:%M}  {t.staff}  "
                f"{CHANNEL_LABELS.get(t.channel, t.channel)}  {OUTCOME_LABELS.get(t.outcome, t.outcome)}"
                + (f"  {one_line(t.note)}" if t.note else "") for t in card.contacts]
    # what came from the archive is on its lines; nothing else may act on a terminal
    return shown("\n".join(out) + "\n")


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value))


def card_json(card: MemberCard) -> str:
    doc = asdict(card)
    doc["completeness"]["percent"] = card.completeness.percent
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2, default=_plain)) + "\n"
