"""`shopfloor assign`: the even split, the hand-over and chosen members to one guide.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import Parser, UsageError, acting_id, open_existing, staff_id_named
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    from tui.db.members.segments import EXAMPLES

    assign = sub.add_parser("assign", parents=[common],
                            help=_("assign members to guides: even split, hand-over, chosen members"))
    how = assign.add_subparsers(dest="assign_command", metavar="HOW", parser_class=Parser,
                                required=True)
    acting = argparse.ArgumentParser(add_help=False, parents=[common])
    acting.add_argument("--as", dest="acting", metavar="NAME",
                        help=_("the manager doing it (needed unless --dry-run)"))
    acting.add_argument("--format", choices=("text", "json"), default="text")
    split = how.add_parser("split", parents=[acting],
                           help=_("split a segment of members evenly across the active guides"))
    split.add_argument("--segment", required=True, metavar="TEXT",
                       help=_("which members, e.g. {examples}; join conditions with &").format(
                           examples=EXAMPLES))
    split.add_argument("--dry-run", action="store_true", help=_("print the preview, change nothing"))
    handover = how.add_parser("handover", parents=[acting],
                              help=_("hand a leaving guide's members and open callbacks to others"))
    handover.add_argument("--from", dest="leaving", required=True, metavar="NAME")
    handover.add_argument("--to", metavar="NAME,NAME",
                          help=_("the guides taking over (default: every other active guide)"))
    handover.add_argument("--deactivate", action="store_true",
                          help=_("the leaving guide can no longer sign in or receive members"))
    handover.add_argument("--dry-run", action="store_true", help=_("print the preview, change nothing"))
    chosen = how.add_parser("members", parents=[acting], help=_("give chosen members to one guide"))
    chosen.add_argument("members", metavar="M000001,M000002", help=_("member numbers or ids, commas between"))
    chosen.add_argument("--to", required=True, metavar="NAME", help=_("the guide"))


def cmd_assign(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.assign.plan import AssignError, plan_even_split, plan_hand_over
    from tui.db.assign.apply import apply_hand_over, apply_split, assign_members
    from tui.db.members.card import MemberNotFound, find_member
    from tui.db.members.segments import SegmentError, parse_segment
    from tui.reports.assign import assigned_text, plan_json, plan_text

    open_existing(settings)
    now = clock.now()
    today = clock.today()
    dry_run = getattr(args, "dry_run", False)
    if not (args.acting or getattr(args, "forced_guide", None)) and not dry_run:
        raise UsageError(_("say who is assigning: --as NAME (a manager), or preview with "
                           "--dry-run"))
    acting = acting_id(args, settings, clock)
    show = plan_json if args.format == "json" else plan_text
    try:
        if args.assign_command == "members":
            ids = [find_member(key).id for key in args.members.split(",") if key.strip()]
            result = assign_members(ids, staff_id_named(args.to, "--to"), acting, now)
            if args.format == "json":
                import json

                sys.stdout.write(json.dumps({"members": result.members, "callbacks": result.callbacks,
                                             "guide": result.per_guide[0][0]},
                                            ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(assigned_text(result))
            return 0
        if args.assign_command == "split":
            plan = plan_even_split(parse_segment(args.segment), settings, today)
            apply = lambda: apply_split(plan, acting, now)  # noqa: E731
        else:
            to = ([staff_id_named(n, "--to") for n in args.to.split(",") if n.strip()]
                  if args.to else None)
            plan = plan_hand_over(staff_id_named(args.leaving, "--from"), to, today)
            apply = lambda: apply_hand_over(plan, acting, now, args.deactivate)  # noqa: E731
        sys.stdout.write(show(plan, None if dry_run else apply()))
        return 0
    except (AssignError, SegmentError, MemberNotFound) as exc:
        raise UsageError(str(exc)) from None


COMMANDS = {"assign": cmd_assign}
