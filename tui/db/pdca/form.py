"""A PDCA plan as the manager types it: the targets, the period, the methods and who is
responsible, checked field by field (`read_plan_form`) before tui/db/pdca/plans.py freezes it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tui.db.boards.periods import PERIOD_WORDS, Period, PeriodError, make_period, parse_period
from tui.clock import outside_days
from tui.db.members.archive import parse_day
from tui.db.members.purchases import SaleError, parse_amount
from tui.db.members.segments import BOUGHT, VALUED, Segment, SegmentError, check_segment
from tui.errors import ShopfloorError
from tui.i18n import N_, _
from tui.settings import Settings
from tui.text import entered, entry_problem

#: the methods a digit picks on the form; anything else is typed as free text
METHOD_CHOICES = (N_("running-out reminder"), N_("cumulative gifts"))
RESPONSIBLE = {"owner": N_("each member's owner"), "split": N_("an even split over the guides")}
#: what a plan's period may be typed as (the leaderboards' words, with next-month)
PLAN_PERIOD_WORDS = N_("month, next-month, week or FROM..TO (YYYY-MM-DD..YYYY-MM-DD)")
#: the longest plan name
MAX_NAME = 40
#: the longest method typed as free text
MAX_METHOD = 60


class PlanError(ShopfloorError, ValueError):
    """A plan that cannot be made or changed as asked; str() is the one line to show."""


class PlanFieldErrors(PlanError):
    """What to change on the plan form, by field; str() is the first problem."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        field, text = next(iter(errors.items()))
        super().__init__(f"{field}: {text}")




@dataclass(frozen=True)
class Targets:
    completion_pct: int  #: target members contacted / target members, percent
    success_pct: int  #: contacted target members who bought again / contacted, percent
    sales_cents: int  #: sales to target members after their first contact

    def value(self, figure: str) -> int:
        return {"completion": self.completion_pct, "success": self.success_pct,
                "sales": self.sales_cents}[figure]


@dataclass(frozen=True)
class PlanDraft:
    name: str
    segment: Segment
    period: Period
    targets: Targets
    methods: tuple[str, ...] = ()
    responsible: str = "owner"  #: "owner" or "split"
    split_guides: tuple[int, ...] = ()  #: split only; () = every active guide


def plan_period(text: str, today: date, zone: ZoneInfo) -> Period:
    """month (this calendar month), next-month, week, or FROM..TO; PlanError if not."""
    words = text.strip().lower()
    if words in ("next-month", "next month", "下月", _("next-month")):
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return make_period("range", first, last, zone)
    try:
        return parse_period(text, today, zone)
    except PeriodError as exc:
        raise PlanError(str(exc).replace(_(PERIOD_WORDS), _(PLAN_PERIOD_WORDS))) from None


def next_period_text(first_day: date, last_day: date) -> str:
    """The period after this one, as typed: the next calendar month after a whole month,
    else as many days again."""
    after = last_day + timedelta(days=1)
    whole_month = (first_day.day == 1 and after.day == 1)
    if whole_month:
        end = after.replace(day=calendar.monthrange(after.year, after.month)[1])
    else:
        end = after + (last_day - first_day)
    return f"{after.isoformat()}..{end.isoformat()}"


def parse_percent(text: str, what: str) -> int:
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned.isdigit() or not 0 <= int(cleaned) <= 100:
        raise PlanError(_("{what}: a whole percent from 0 to 100, such as 80").format(what=what))
    return int(cleaned)


def parse_yuan(text: str, what: str) -> int:
    try:
        return parse_amount(text or "")
    except SaleError:
        raise PlanError(_("{what}: yuan, such as 50000 or 50,000.00").format(what=what)) from None


def read_plan_form(values: dict[str, str], methods: tuple[str, ...], settings: Settings,
                   today: date) -> PlanDraft:
    """The plan form's text as a PlanDraft, or PlanFieldErrors naming every field to change.

    values: name, kind (a segment kind), value, bought (FROM..TO, empty: ever), period,
    completion, success, sales (yuan), responsible ("owner" or "split").
    """
    errors: dict[str, str] = {}
    name = entered(values.get("name", ""))
    if not name:
        errors["name"] = _("give the plan a name, e.g. 飞鹤复购 11月")
    elif problem := entry_problem(name, MAX_NAME):
        errors["name"] = problem
    segment = None
    kind = values.get("kind") or ""
    if not kind:
        errors["kind"] = _("choose which members with a digit")
    else:
        since = until = None
        bought = values.get("bought", "").strip()
        if bought and kind not in BOUGHT:
            errors["bought"] = _("only brand, product and category take dates; leave it empty")
        elif bought:
            left, sep, right = bought.partition("..")
            since = parse_day(left) if left.strip() else None
            until = parse_day(right) if right.strip() else None
            if (left.strip() and since is None) or (right.strip() and until is None) or not sep:
                errors["bought"] = _("FROM..TO as YYYY-MM-DD..YYYY-MM-DD (either may be empty)")
            elif any(d is not None and outside_days(d) for d in (since, until)):
                errors["bought"] = next(outside_days(d) for d in (since, until)
                                        if d is not None and outside_days(d))
        if "bought" not in errors:
            try:
                value = values.get("value", "") if kind in VALUED else ""
                segment = Segment.of(kind, value, since, until)
                check_segment(segment, settings)
            except SegmentError as exc:
                errors["value" if kind != "dormant" else "kind"] = str(exc)
    period = None
    try:
        period = plan_period(values.get("period", ""), today, settings.shop.zone)
        if period.last_day < today:
            errors["period"] = _("{first}..{last} is over; plan a period that ends today or "
                                 "later").format(first=period.first_day, last=period.last_day)
    except PlanError as exc:
        errors["period"] = str(exc)
    numbers: dict[str, int] = {}
    for field, what, parse in (("completion", N_("completion target"), parse_percent),
                               ("success", N_("success target"), parse_percent),
                               ("sales", N_("performance target"), parse_yuan)):
        try:
            numbers[field] = parse(values.get(field, ""), _(what))
        except PlanError as exc:
            # the field's words without the field's name (": " in English, "：" in Chinese)
            errors[field] = re.split(r": |：", str(exc), maxsplit=1)[-1]
    responsible = values.get("responsible") or ""
    if responsible not in RESPONSIBLE:
        errors["responsible"] = _("1 each member's owner, or 2 an even split")
    methods = clean_methods(methods)
    for method in methods:
        if problem := entry_problem(method, MAX_METHOD):
            errors["other"] = problem
            break
    if errors:
        raise PlanFieldErrors(errors)
    return PlanDraft(name, segment, period, Targets(numbers["completion"], numbers["success"],
                                                   numbers["sales"]),
                     methods, responsible)


def clean_methods(methods) -> tuple[str, ...]:
    out: list[str] = []
    for m in methods:
        m = re.sub(" {2,}", " ", entered(m))  # controls stay, for read_plan_form to refuse
        if m and m not in out:
            out.append(m)
    return tuple(out)
