"""`shopfloor pdca`: a plan's check, its drill-down and its history.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import (UsageError, acting_id, add_acting, count_arg, day_arg, open_existing,
                            staff_id_named)
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    pdca = sub.add_parser("pdca", parents=[common],
                          help=_("a PDCA plan's check: targets against actuals, per guide"))
    pdca.add_argument("plan", nargs="?", metavar="PLAN",
                      help=_("the plan's name or id (default: every running plan)"))
    pdca.add_argument("--date", type=day_arg, metavar="YYYY-MM-DD",
                      help=_("count up to the end of this day (default today)"))
    pdca.add_argument("--cycle", type=count_arg(1, 10_000), metavar="N",
                      help=_("this cycle of the plan (default the latest)"))
    pdca.add_argument("--history", action="store_true", help=_("every cycle side by side, and "
                      "the adjustments"))
    pdca.add_argument("--drill", choices=("completion", "success", "sales"), metavar="FIGURE",
                      help=_("the members and contacts behind completion, success or sales"))
    pdca.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS,
                      help=_("with --drill: the responsible guide (default the whole plan)"))
    pdca.add_argument("--format", choices=("text", "json", "csv"), default="text")
    add_acting(pdca, _("who is reading (needed with --drill: it lists members)"))
    pdca.add_argument("--width", type=count_arg(40, 400), default=None, metavar="N",
                      help=_("text width in columns (default: the terminal's)"))


def cmd_pdca(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    import shutil

    from tui.db.pdca.plans import find_cycle, find_plan, running_cycle_ids
    from tui.db.pdca.check import plan_check
    from tui.db.pdca.form import PlanError
    from tui.db.pdca.view import plan_drill, plan_history
    from tui.reports import pdca as report

    guide = getattr(args, "guide", None)
    if guide is not None and args.drill is None:
        raise UsageError(_("--guide goes with --drill FIGURE"))
    if (args.drill or args.history or args.cycle) and not args.plan:
        raise UsageError(_("--drill, --history and --cycle need a PLAN (its name or id)"))
    if args.format == "csv" and (args.drill or args.history):
        raise UsageError(_("--drill and --history print text or json; --format csv is for the "
                           "check"))
    open_existing(settings)
    if args.drill:
        acting_id(args, settings, clock, "pdca --drill")
    day = args.date or clock.today()
    width = args.width or shutil.get_terminal_size((100, 24)).columns
    try:
        if not args.plan:
            checks = [plan_check(c, day, settings) for c in running_cycle_ids()]
        else:
            plan = find_plan(args.plan)
            if args.history:
                history = plan_history(plan.id, day, settings)
                if args.format == "json":
                    sys.stdout.write(report.checks_json(list(history.cycles)))
                else:
                    sys.stdout.write(report.history_text(history, width))
                return 0
            cycle = find_cycle(plan.id, args.cycle)
            if args.drill:
                guide_id = None if guide is None or guide.strip().lower() == "whole" else \
                    staff_id_named(guide, "--guide")
                page = plan_drill(cycle.id, args.drill, guide_id, day, settings,
                                  whole=guide_id is None, limit=None)
                sys.stdout.write(report.drill_json(page) if args.format == "json"
                                 else report.drill_text(page))
                return 0
            checks = [plan_check(cycle.id, day, settings)]
    except PlanError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        sys.stdout.write(report.checks_json(checks))
    elif args.format == "csv":
        sys.stdout.write(report.checks_csv(checks))
    else:
        sys.stdout.write(report.checks_text(checks, settings.shop.name, width))
    return 0


COMMANDS = {"pdca": cmd_pdca}
