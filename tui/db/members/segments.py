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
from tui.errors import ShopfloorError
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
        """What a manager reads: 'bought brand 飞鹤 since 2026-09-01'."""
        since = f" since {self.since.isoformat()}" if self.since else ""
        if self.until:
            since = (f" {self.since.isoformat()}..{self.until.isoformat()}" if self.since
                     else f" until {self.until.isoformat()}")
        return {
            "unassigned": "unassigned",
            "brand": f"bought brand {self.value}{since}",
            "product": f"bought product {self.value}{since}",
            "category": f"bought {self.value}{since}",
            "tier": f"VIP tier {self.value}",
            "dormant": "dormant",
            "owner": f"owned by {self.value}",
            "all": "every member",
        }[self.kind]


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
        return " and ".join(c.words for c in self.conditions)


_CONDITION = re.compile(r"^(?P<kind>[a-z_]+)\s*(?::\s*(?P<value>.*?))?"
                        r"(?:\s+since\s+(?P<since>\S+))?(?:\s+until\s+(?P<until>\S+))?$",
                        re.IGNORECASE | re.DOTALL)


def parse_segment(text: str) -> Segment:
    """'tier:金卡', 'brand:飞鹤 since 2026-09-01 & unassigned', 'brand:飞鹤 since 2026-08-01
    until 2026-10-31' … or SegmentError, one line."""
    parts = [p.strip() for p in (text or "").split("&")]
    if not any(parts):
        raise SegmentError(f"no segment given; try one of: {EXAMPLES}")
    conditions = []
    for part in parts:
        if not part:
            raise SegmentError(f"{text!r}: an empty condition around '&'")
        match = _CONDITION.match(part)
        if not match:
            raise SegmentError(f"{part!r}: not a segment; try one of: {EXAMPLES}")
        days: dict[str, date | None] = {}
        for word in ("since", "until"):
            typed = match.group(word)
            days[word] = None if typed is None else parse_day(typed)
            if typed is not None and days[word] is None:
                raise SegmentError(f"{part!r}: {typed} is not a real date; use YYYY-MM-DD")
            if days[word] is not None and outside_days(days[word]):
                raise SegmentError(f"{part!r}: {outside_days(days[word])}")
        condition = Condition(match.group("kind").lower(), (match.group("value") or "").strip(),
                              days["since"], days["until"])
        conditions.append(_checked(condition, part, has_since=match.group("since") is not None,
                                   has_until=match.group("until") is not None))
    return Segment(tuple(conditions))


def _checked(c: Condition, part: str, has_since: bool = False,
             has_until: bool = False) -> Condition:
    if c.kind not in KINDS:
        raise SegmentError(f"{part!r}: not a segment; the kinds are {', '.join(KINDS)} "
                           f"(e.g. {EXAMPLES})")
    if c.kind in VALUED and not c.value:
        raise SegmentError(f"{part!r}: say which {c.kind}, as {c.kind}:NAME")
    if c.kind not in VALUED and c.value:
        raise SegmentError(f"{part!r}: {c.kind} takes no value")
    if (has_since or c.since is not None) and c.kind not in BOUGHT:
        raise SegmentError(f"{part!r}: only brand, product and category take 'since'")
    if (has_until or c.until is not None) and c.kind not in BOUGHT:
        raise SegmentError(f"{part!r}: only brand, product and category take 'until'")
    if c.since is not None and c.until is not None and c.until < c.since:
        raise SegmentError(f"{part!r}: until {c.until.isoformat()} is before since "
                           f"{c.since.isoformat()}; give the earlier day first")
    if "&" in c.value:
        raise SegmentError(f"{part!r}: a name with '&' cannot be a segment value")
    return c


def _tier_bounds(name: str, settings: Settings) -> tuple[int, int | None]:
    tiers = sorted(settings.vip_tiers, key=lambda t: t.min_spend_cents)
    for i, tier in enumerate(tiers):
        if tier.name.lower() == name.lower():
            upper = tiers[i + 1].min_spend_cents if i + 1 < len(tiers) else None
            return tier.min_spend_cents, upper
    raise SegmentError(f"tier:{name}: no such VIP tier; the tiers are "
                       f"{', '.join(t.name for t in tiers)}")


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
                listed = ", ".join(known[:ON_FILE_LISTED]) or "none"
                if len(known) > ON_FILE_LISTED:
                    listed += f" and {len(known) - ON_FILE_LISTED} more"
                raise SegmentError(f"{c.kind}:{c.value}: no product has that {c.kind}; "
                                   f"on file: {listed}")
        elif c.kind == "tier":
            _tier_bounds(c.value, settings)
        elif c.kind == "owner":
            found = database.execute_sql("SELECT 1 FROM staff WHERE lower(name) = lower(?)",
                                         (c.value,)).fetchone()
            if found is None:
                names = [r[0] for r in database.execute_sql("SELECT name FROM staff ORDER BY name")]
                raise SegmentError(f"owner:{c.value}: nobody of that name on the staff list; "
                                   f"staff: {', '.join(names) or 'none'}")


def segment_member_ids(segment: Segment, settings: Settings, today: date) -> list[int]:
    """The segment's member ids, lowest first."""
    sql, args = segment_sql(segment, settings, today)
    return [row[0] for row in database.execute_sql(sql + " ORDER BY m.id", args)]
