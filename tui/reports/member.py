"""A member's card as text and JSON: `shopfloor member`, from the same function as the screen."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime

from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS
from tui.db.callbacks.queue import REASON_LABELS
from tui.db.members.card import ChildLine, GiftProgress, MemberCard
from tui.i18n import N_, _, language, ngettext, pgettext
from tui.money import Fen, yuan
from tui.reports.queue import detail_words
from tui.reports.text import cell_width, phone_words
from tui.text import json_safe, one_line, shown


#: how each archive field reads on the card (translated where it is shown: field_label)
FIELD_LABELS = {
    "name": N_("name"), "gender": N_("gender"), "birthday": N_("birthday/age"),
    "nationality": N_("nationality"), "phone": N_("phone"), "email": N_("e-mail"),
    "address": N_("address"), "total_spend": N_("total spend"),
    "products_bought": N_("products bought"), "occupation": N_("occupation"),
    "family": N_("family"), "personality": N_("personality"),
    "shopping_habits": N_("shopping habits"), "style": N_("style"), "hobbies": N_("hobbies"),
    "lifestyle": N_("lifestyle"), "accepts_promotions": N_("promotions"), "values": N_("values"),
}

#: the units a product is sold in and a gift rule counts (Product.unit, [[gift_rules]] unit)
UNITS = {"can": N_("can"), "pack": N_("pack"), "box": N_("box"), "bottle": N_("bottle"),
         "piece": N_("piece")}


def unit_word(unit: str) -> str:
    """A unit as people say it in the language spoken: "can", in Chinese 罐; a shop's own
    unit as written."""
    return _(UNITS[unit]) if unit in UNITS else unit


def field_label(name: str) -> str:
    """A field as people read it: a field of a settings file's own (vehicle_type) without
    its underscore."""
    label = FIELD_LABELS.get(name)
    return _(label) if label else name.replace("_", " ").strip()


def age_text(child: ChildLine) -> str:
    """A child's age as a parent says it: "7 months", "2 years", "due 2027-03-01" in
    English (the card's own words); "7 个月", "3 岁 2 个月", "预产期 2027-03-01" in Chinese."""
    if language() == "en" or (child.born is None and child.due is None):
        return child.age
    if child.born is None:
        return _("due {day}").format(day=child.due.isoformat())
    months = child.months
    if months is None or months < 0:
        return _("not born yet")
    if months < 24:
        return ngettext("{n} month", "{n} months", months).format(n=months)
    years, rest = divmod(months, 12)
    if rest:
        return _("{years} years {months} months").format(years=years, months=rest)
    return ngettext("{n} year", "{n} years", years).format(n=years)


def gift_words(g: GiftProgress) -> str:
    """What the cashier says: "3 more cans to 婴儿床" (English as GiftProgress.words)."""
    if language() == "en":
        return g.words
    unit = unit_word(g.unit)
    if g.next_gift is None:
        return _("{n} {unit} bought: every gift earned").format(n=g.units, unit=unit)
    return _("{n} more {unit} to {gift}").format(n=g.to_next, unit=unit, gift=g.next_gift)


def _field_words(name: str, value: object) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    if isinstance(value, str):
        return one_line(value)
    if name == "total_spend":
        return yuan(int(value), Fen.ALWAYS)
    if name == "accepts_promotions":
        return promotions_words(bool(value))
    if value is True:
        return pgettext("products bought", "yes") if name == "products_bought" else _("children on file")
    if isinstance(value, int) and name == "birthday":
        return _("about {years}").format(years=value)
    return str(value)


def promotions_words(accepts: bool | None) -> str:
    """The member's answer on promotions: "yes", "refused", or "not asked" yet."""
    if accepts is None:
        return pgettext("promotions", "not asked")
    return pgettext("promotions", "yes") if accepts else pgettext("promotions", "refused")


def hidden_words(card: MemberCard) -> str:
    """What stands where a field is not this viewer's to see (tui.db.privacy)."""
    return (_("hidden: {owner}'s member").format(owner=card.owner) if card.owner
            else _("hidden: nobody's member yet"))


def profile_lines(card: MemberCard, fields: tuple[str, ...]) -> list[str]:
    return ["  " + pad(field_label(f), 16)
            + (hidden_words(card) if f in card.hidden and f != "phone"
               else _field_words(f, card.fields.get(f))) for f in fields]


def pad(text: str, width: int) -> str:
    """`text` and spaces to `width` columns (a Chinese character takes two), never cut."""
    return text + " " * max(0, width - cell_width(text))


def _day(value) -> str:
    return f"{value:%Y-%m-%d}"


def card_text(card: MemberCard, hard: tuple[str, ...] = (), soft: tuple[str, ...] = ()) -> str:
    c = card.completeness
    consent = promotions_words(card.accepts_promotions)
    if card.promotions_set_at:
        consent += f" ({card.promotions_set_at:%Y-%m-%d})"
    dnc = ("  ·  " + _("DO NOT CONTACT since {day}").format(day=_day(card.do_not_contact_set_at))
           if card.do_not_contact and card.do_not_contact_set_at
           else "  ·  " + _("DO NOT CONTACT") if card.do_not_contact else "")
    if card.erased_at:
        return shown(f"{card.name}  {card.member_no}\n"
                     + _("Personal data erased on {day} at the member's request.").format(
                         day=_day(card.erased_at)) + "\n"
                     + _("Purchase total kept without a name: {amount}.").format(
                         amount=yuan(card.total_spend_cents, Fen.ALWAYS)))
    phone = card.fields.get("phone")
    out = [f"{card.name}  {card.member_no}  "
           + (phone_words(phone) if phone else _("no phone on file")),
           _("owner {owner}  ·  promotions: {consent}").format(owner=card.owner or "—",
                                                             consent=consent) + dnc,
           _("{tier} ({benefit})  ·  spent {amount}").format(
               tier=card.tier.name, benefit=card.tier.benefit,
               amount=yuan(card.total_spend_cents, Fen.ALWAYS))
           + ("  ·  " + _("{amount} more to {tier}").format(
               amount=yuan(card.to_next_tier_cents, Fen.ALWAYS), tier=card.next_tier.name)
              if card.next_tier else ""),
           _("archive {percent}%  (hard {hard_filled}/{hard_total}, soft {soft_filled}/{soft_total})")
           .format(percent=c.percent, hard_filled=c.hard_filled, hard_total=c.hard_total,
                   soft_filled=c.soft_filled, soft_total=c.soft_total)
           + ("  ·  " + _("ask next: {field}").format(field=field_label(c.ask_next))
              if c.ask_next else "")]
    for g in card.gifts:
        earned = (" " + _("({gifts} earned)").format(gifts=_(", ").join(g.earned))
                  if g.earned and g.next_gift else "")
        out.append(_("gift: {rule}: {words}").format(rule=g.rule, words=gift_words(g)) + earned)
    if hard:
        out.append(_("hard profile:"))
        out += profile_lines(card, hard)
    if soft:
        out.append(_("soft profile:"))
        out += profile_lines(card, soft)
    if card.notes:
        out.append(_("notes:"))
        # a note keeps its lines, each under the first
        out += [f"  {n.written_at:%Y-%m-%d}  {n.staff}: " + "\n    ".join(shown(n.text).split("\n"))
                for n in card.notes]
    if card.children:
        out.append(_("children: {children}").format(children=_("; ").join(
            (ch.name or _("baby")) + " " + age_text(ch) for ch in card.children)))
    if card.callbacks:
        out.append(_("open callbacks:"))
        out += [f"  {cb.due_on}  {_(REASON_LABELS.get(cb.reason, cb.reason))}  "
                f"{detail_words(cb.detail, cb.reason)}"
                for cb in card.callbacks]
    if card.purchases:
        out.append(_("purchases:"))
        out += [f"  {p.purchased_at:%Y-%m-%d %H:%M}  {p.product} ×{p.quantity}  {yuan(p.amount_cents, Fen.ALWAYS)}"
                for p in card.purchases]
    if card.contacts:
        out.append(_("tracking log:"))
        out += [f"  {t.contacted_at:%Y-%m-%d %H:%M}  {t.staff}  "
                f"{_(CHANNEL_LABELS.get(t.channel, t.channel))}  "
                f"{_(OUTCOME_LABELS.get(t.outcome, t.outcome))}"
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
