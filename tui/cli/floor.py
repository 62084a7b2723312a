"""The shop floor's commands, twins of its screens: `queue` (today's calls), `lookup`
(find a member) and `member` (one member's card).

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import (UsageError, acting_id, add_acting, count_arg, day_arg, guide_id,
                            open_existing)
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    queue = sub.add_parser("queue", parents=[common], help=_("print a day's callback queue"))
    queue.add_argument("--date", type=day_arg, metavar="YYYY-MM-DD", help=_("the day (default today)"))
    queue.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS,
                       help=_("only this guide's callbacks (default: a manager's the whole shop, "
                            "a guide's her own)"))
    queue.add_argument("--whole-shop", action="store_true",
                       help=_("the whole shop's queue (a guide's only if [staff] guides_see_whole_shop)"))
    add_acting(queue, _("who is reading (any staff; a guide sees her own queue)"))
    queue.add_argument("--format", choices=("text", "json", "csv"), default="text")
    queue.add_argument("--width", type=count_arg(40, 400), default=None, metavar="N",
                       help=_("text width in columns (default: the terminal's)"))
    lookup = sub.add_parser("lookup", parents=[common],
                            help=_("find members by phone tail, member number, name or pinyin"))
    lookup.add_argument("query", metavar="QUERY",
                        help=_("last 4+ digits of a phone, a member number, 张三, zs or zhangsan"))
    lookup.add_argument("--format", choices=("text", "json"), default="text")
    add_acting(lookup, _("who is looking (another guide's member shows a masked phone)"))

    member = sub.add_parser("member", parents=[common], help=_("print one member's card"))
    member.add_argument("member", metavar="ID", help=_("member id, or member number such as M000123"))
    member.add_argument("--format", choices=("text", "json"), default="text")
    add_acting(member, _("who is looking (another guide's member shows a masked phone)"))


def cmd_queue(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.callbacks.raising import ensure_generated, generated_on
    from tui.db.connection import read_only
    from tui.db.callbacks.queue import callback_queue
    from tui.db.privacy import queue_scope, viewer
    from tui.reports.queue import queue_csv, queue_json, queue_text

    open_existing(settings)
    zone = settings.shop.zone
    today = clock.today()
    day = args.date or today
    who = viewer(acting_id(args, settings, clock, "queue"), settings.staff)
    guide = guide_id(getattr(args, "guide", None))
    if guide is not None and args.whole_shop:
        raise UsageError(_("--guide NAME or --whole-shop: one or the other"))
    guide = queue_scope(who, guide, args.whole_shop)  # the screen's rule
    if day == today and generated_on() != today and not read_only():
        # the same daily rule run the app does on start, so both show the same queue
        print(_("Raising today's callbacks (the first run of the day takes a moment)…"),
              file=sys.stderr, flush=True)
        ensure_generated(today, settings.callbacks, zone, clock.now())
    page = callback_queue(day, settings.callbacks, zone, guide_id=guide, limit=None, viewer=who)
    if args.format == "json":
        out = queue_json(page)
    elif args.format == "csv":
        out = queue_csv(page)
    else:
        import shutil

        width = args.width or shutil.get_terminal_size((100, 24)).columns
        out = queue_text(page, settings.shop.name, width)
    sys.stdout.write(out)
    return 0


def cmd_lookup(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.members.lookup import LOOKUP_PAGE, QueryError, count_members, lookup_members
    from tui.db.privacy import viewer
    from tui.reports.lookup import hits_json, hits_text

    open_existing(settings)
    who = viewer(acting_id(args, settings, clock, "lookup"), settings.staff)
    try:
        hits = lookup_members(args.query, viewer=who)
    except QueryError as exc:
        raise UsageError(_("lookup {query!r}: {why}").format(query=args.query, why=exc)) from None
    # the screen's count: how many there are when the page is full
    found = count_members(args.query) if len(hits) >= LOOKUP_PAGE else len(hits)
    sys.stdout.write(hits_json(args.query, hits, found) if args.format == "json"
                     else hits_text(hits, found))
    return 0


def cmd_member(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.members.card import MemberNotFound, find_member, member_card
    from tui.db.privacy import viewer
    from tui.reports.member import card_json, card_text

    open_existing(settings)
    who = viewer(acting_id(args, settings, clock, "member"), settings.staff)
    try:
        card = member_card(find_member(args.member).id, clock.today(), settings, viewer=who)
    except MemberNotFound as exc:
        raise UsageError(str(exc)) from None
    archive = settings.archive
    sys.stdout.write(card_json(card) if args.format == "json"
                     else card_text(card, archive.hard_fields, archive.soft_fields))
    return 0


COMMANDS = {"queue": cmd_queue, "lookup": cmd_lookup, "member": cmd_member}
