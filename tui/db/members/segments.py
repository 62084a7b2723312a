"""Member segments: a chosen set of members, described as plain data and selected in SQL.

Assigning members splits a segment across the guides; a PDCA plan targets one. A segment
is one or more conditions that must all hold ("tier:金卡 & dormant"); erased members are
never in a segment. `parse_segment` reads the command line's text, `Segment.text` writes
it back, and `segment_sql` turns it into one SELECT of member ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tui.clock import day_start_utc, outside_days, stored_text
from tui.db.members.archive import parse_day
from tui.db.models import database
from tui.db.pinyin import name_order
from tui.errors import ShopfloorError
from tui.i18n import N_, _
from tui.settings import Settings


#: condition kinds, with what each means; the digit order is the screen's
KINDS: dict[str, str] = {
    "unassigned": "no guide owns the member",
    "brand": "bought a brand (since a day, until a day, or ever)",
    "product": "bought a product, by SKU (since a day, until a day, or ever)",
    "category": "bought from a category (since a day, until a day, or ever)",
    "tier": "in a VIP tier, by total spend",
    "dormant": "no purchase and no contact for the dormant periods in settings",
    "owner": "owned by a staff member, by name",
    "all": "every member on file",
}
#: the kinds that take a value after a colon
VALUED = frozenset({"brand", "product", "category", "tier", "owner"})
#: the kinds that may take "since YYYY-MM-DD" and "until YYYY-MM-DD"
BOUGHT = frozenset({"brand", "product", "category"})

EXAMPLES = "unassigned, dormant, tier:金卡, owner:张丽, brand:飞鹤 since 2026-09-01, category:formula"


class SegmentError(ShopfloorError, ValueError):
    """A segment that cannot be read or used; str() is the one line to show."""


@dataclass(frozen=True)
class Condition:
    kind: str  #: one of KINDS
    value: str = ""  #: brand, SKU, category, tier name or staff name; "" for the others
    since: date | None = None  #: bought kinds only: purchases on or after this shop day
    until: date | None = None  #: bought kinds only: purchases on or before this shop day

    @property
    def text(self) -> str:
        out = f"{self.kind}:{self.value}" if self.kind in VALUED else self.kind
        out = f"{out} since {self.since.isoformat()}" if self.since else out
        return f"{out} until {self.until.isoformat()}" if self.until else out

    @property
    def words(self) -> str:
        """What a manager reads, in the language spoken now: 'bought brand 飞鹤 since
        2026-09-01' ('购买过品牌 飞鹤 2026-09-01 起')."""
        kind = _(_KIND_WORDS[self.kind]).format(value=self.value)
        if self.since and self.until:
            when = _("{since}..{until}")
        elif self.since:
            when = _("since {since}")
        elif self.until:
            when = _("until {until}")
        else:
            return kind
        return f"{kind} " + when.format(since=self.since.isoformat() if self.since else "",
                                        until=self.until.isoformat() if self.until else "")


#: a condition in words, its value (a brand, SKU, category, tier or name) as {value}
_KIND_WORDS = {
    "unassigned": N_("unassigned"),
    "brand": N_("bought brand {value}"),
    "product": N_("bought product {value}"),
    "category": N_("bought {value}"),
    "tier": N_("VIP tier {value}"),
    "dormant": N_("dormant"),
    "owner": N_("owned by {value}"),
    "all": N_("every member"),
}


@dataclass(frozen=True)
class Segment:
    """Members meeting every condition, erased members left out."""

    conditions: tuple[Condition, ...]

    @classmethod
    def of(cls, kind: str, value: str = "", since: date | None = None,
           until: date | None = None) -> "Segment":
        """A one-condition segment (the screen's form), checked as parse_segment checks text."""
        condition = Condition(kind, value.strip(), since, until)
        return cls((_checked(condition, condition.text),))

    @property
    def text(self) -> str:
        """The command-line form; parse_segment(segment.text) == segment."""
        return " & ".join(c.text for c in self.conditions)

    @property
    def words(self) -> str:
        words = [c.words for c in self.conditions]
        out = words[0]
        for more in words[1:]:
            out = _("{segment} and {condition}").format(segment=out, condition=more)
        return out


_CONDITION = re.compile(r"^(?P<kind>[a-z_]+)\s*(?::\s*(?P<value>.*?))?"
                        r"(?:\s+since\s+(?P<since>\S+))?(?:\s+until\s+(?P<until>\S+))?$",
                        re.IGNORECASE | re.DOTALL)


def parse_segment(text: str) -> Segment:
    """'tier:金卡', 'brand:飞鹤 since 2026-09-01 & unassigned', 'brand:飞鹤 since 2026-08-01
    until 2026-10-31' … or SegmentError, one line."""
    parts = [p.strip() for p in (text or "").split("&")]
    if not any(parts):
        raise SegmentError(_("no segment given; try one of: {examples}").format(examples=EXAMPLES))
    conditions = []
    for part in parts:
        if not part:
            raise SegmentError(_("{text!r}: an empty condition around '&'").format(text=text))
        match = _CONDITION.match(part)
        if not match:
            raise SegmentError(_("{part!r}: not a segment; try one of: {examples}").format(
                part=part, examples=EXAMPLES))
        days: dict[str, date | None] = {}
        for word in ("since", "until"):
            typed = match.group(word)
            days[word] = None if typed is None else parse_day(typed)
            if typed is not None and days[word] is None:
                raise SegmentError(_("{part!r}: {typed} is not a real date; use YYYY-MM-DD")
                                   .format(part=part, typed=typed))
            if days[word] is not None and outside_days(days[word]):
                raise SegmentError(_("{part!r}: {problem}").format(
                    part=part, problem=outside_days(days[word])))
        condition = Condition(match.group("kind").lower(), (match.group("value") or "").strip(),
                              days["since"], days["until"])
        conditions.append(_checked(condition, part, has_since=match.group("since") is not None,
                                   has_until=match.group("until") is not None))
    return Segment(tuple(conditions))


def _checked(c: Condition, part: str, has_since: bool = False,
             has_until: bool = False) -> Condition:
    if c.kind not in KINDS:
        raise SegmentError(_("{part!r}: not a segment; the kinds are {kinds} (e.g. {examples})")
                           .format(part=part, kinds=", ".join(KINDS), examples=EXAMPLES))
    if c.kind in VALUED and not c.value:
        raise SegmentError(_("{part!r}: say which {kind}, as {kind}:NAME").format(
            part=part, kind=c.kind))
    if c.kind not in VALUED and c.value:
        raise SegmentError(_("{part!r}: {kind} takes no value").format(part=part, kind=c.kind))
    if (has_since or c.since is not None) and c.kind not in BOUGHT:
        raise SegmentError(_("{part!r}: only brand, product and category take 'since'")
                           .format(part=part))
    if (has_until or c.until is not None) and c.kind not in BOUGHT:
        raise SegmentError(_("{part!r}: only brand, product and category take 'until'")
                           .format(part=part))
    if c.since is not None and c.until is not None and c.until < c.since:
        raise SegmentError(_("{part!r}: until {until} is before since {since}; give the "
                             "earlier day first").format(part=part, until=c.until.isoformat(),
                                                         since=c.since.isoformat()))
    if "&" in c.value:
        raise SegmentError(_("{part!r}: a name with '&' cannot be a segment value")
                           .format(part=part))
    return c


def _tier_bounds(name: str, settings: Settings) -> tuple[int, int | None]:
    tiers = sorted(settings.vip_tiers, key=lambda t: t.min_spend_cents)
    for i, tier in enumerate(tiers):
        if tier.name.lower() == name.lower():
            upper = tiers[i + 1].min_spend_cents if i + 1 < len(tiers) else None
            return tier.min_spend_cents, upper
    raise SegmentError(_("tier:{name}: no such VIP tier; the tiers are {tiers}").format(
        name=name, tiers=", ".join(t.name for t in tiers)))


_BOUGHT_SQL = """m.id IN (SELECT p.member_id FROM purchase p
                          JOIN purchase_line l ON l.purchase_id = p.id
                          JOIN product pr ON pr.id = l.product_id
                          WHERE {match} AND p.member_id IS NOT NULL{since})"""
_PRODUCT_COLUMN = {"brand": "pr.brand", "product": "pr.sku", "category": "pr.category"}


def segment_sql(segment: Segment, settings: Settings, today: date) -> tuple[str, tuple]:
    """SELECT m.id FROM member m WHERE … — the segment's members, as SQL and its parameters.

    `today` is the shop day "dormant" is judged on, exactly as the dormant callback rule:
    the last purchase (or joining, if none) at least dormant_purchase_days ago and no
    contact within dormant_contact_days.
    """
    zone = settings.shop.zone
    rules = settings.callbacks
    where, args = ["m.erased_at IS NULL"], []
    for c in segment.conditions:
        if c.kind == "unassigned":
            where.append("m.owner_id IS NULL")
        elif c.kind in BOUGHT:
            since = ""
            if c.since is not None:
                since = " AND p.purchased_at >= ?"
            if c.until is not None:  # the whole shop day `until` counts
                since += " AND p.purchased_at < ?"
            where.append(_BOUGHT_SQL.format(match=f"lower({_PRODUCT_COLUMN[c.kind]}) = lower(?)",
                                            since=since))
            args.append(c.value)
            if c.since is not None:
                args.append(stored_text(day_start_utc(c.since, zone)))
            if c.until is not None:
                args.append(stored_text(day_start_utc(c.until + timedelta(days=1), zone)))
        elif c.kind == "tier":
            low, high = _tier_bounds(c.value, settings)
            where.append("m.total_spend_cents >= ?")
            args.append(low)
            if high is not None:
                where.append("m.total_spend_cents < ?")
                args.append(high)
        elif c.kind == "dormant":
            # dormant today: last purchase day <= today - P (joined that long ago if none),
            # and last contact day <= today - C (or never)
            bought_by = today - timedelta(days=rules.dormant_purchase_days)
            talked_by = today - timedelta(days=rules.dormant_contact_days)
            where.append("(CASE WHEN m.last_purchase_at IS NULL THEN m.joined_on <= ?"
                         " ELSE m.last_purchase_at < ? END)")
            args += [bought_by.isoformat(),
                     stored_text(day_start_utc(bought_by + timedelta(days=1), zone))]
            where.append("NOT EXISTS (SELECT 1 FROM contact c WHERE c.member_id = m.id"
                         " AND c.contacted_at >= ?)")
            args.append(stored_text(day_start_utc(talked_by + timedelta(days=1), zone)))
        elif c.kind == "owner":
            where.append("m.owner_id = (SELECT s.id FROM staff s WHERE lower(s.name) = lower(?))")
            args.append(c.value)
        elif c.kind == "all":
            pass
    return "SELECT m.id FROM member m WHERE " + " AND ".join(where), tuple(args)


#: brands, SKUs or categories named in a refusal; a shop's catalogue rarely has more brands
ON_FILE_LISTED = 40


def check_segment(segment: Segment, settings: Settings) -> None:
    """SegmentError, one line, when a condition names what is not on file (a brand no
    product has, a tier not in settings, a staff member not on the list)."""
    for c in segment.conditions:
        if c.kind in BOUGHT:
            column = _PRODUCT_COLUMN[c.kind].split(".")[1]
            found = database.execute_sql(
                f"SELECT 1 FROM product WHERE lower({column}) = lower(?) LIMIT 1",
                (c.value,)).fetchone()
            if found is None:
                # every one on file, for the person to find theirs: a list cut at 12
                # missed 飞鹤, which sorts late; only a very long one is cut, and says so
                known = [r[0] for r in database.execute_sql(
                    f"SELECT DISTINCT {column} FROM product ORDER BY {column}")]
                listed = _(", ").join(known[:ON_FILE_LISTED]) or _("none")
                if len(known) > ON_FILE_LISTED:
                    listed = _("{listed} and {more} more").format(
                        listed=listed, more=len(known) - ON_FILE_LISTED)
                raise SegmentError(_("{kind}:{value}: no product has that {kind}; on file: "
                                     "{listed}").format(kind=c.kind, value=c.value, listed=listed))
        elif c.kind == "tier":
            _tier_bounds(c.value, settings)
        elif c.kind == "owner":
            found = database.execute_sql("SELECT 1 FROM staff WHERE lower(name) = lower(?)",
                                         (c.value,)).fetchone()
            if found is None:
                names = sorted((r[0] for r in database.execute_sql("SELECT name FROM staff")),
                               key=name_order)
                raise SegmentError(_("owner:{value}: nobody of that name on the staff list; "
                                     "staff: {names}").format(
                    value=c.value, names=_(", ").join(names) or _("none")))


def segment_member_ids(segment: Segment, settings: Settings, today: date) -> list[int]:
    """The segment's member ids, lowest first."""
    sql, args = segment_sql(segment, settings, today)
    return [row[0] for row in database.execute_sql(sql + " ORDER BY m.id", args)]
