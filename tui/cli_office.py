"""The manager's and the office's commands: assigning members, the leaderboards, PDCA
plans and the end-of-day sheet. `tui.cli` builds its parser and runs them from here; the
shared pieces (UsageError, opening the database, who acts) are tui.cli's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli import UsageError, _count, _day, _open_existing, _Parser, _signed_in, _staff_named
from tui.clock import Clock
from tui.settings import Settings

#: exit status when the data layer refuses the person named by --as (not a manager)
EXIT_REFUSED = 3


def _add_assign_parser(sub, common: argparse.ArgumentParser) -> None:
    from tui.db.members.segments import EXAMPLES

    assign = sub.add_parser("assign", parents=[common],
                            help="assign members to guides: even split, hand-over, chosen members")
    how = assign.add_subparsers(dest="assign_command", metavar="HOW", parser_class=_Parser,
                                required=True)
    acting = argparse.ArgumentParser(add_help=False, parents=[common])
    acting.add_argument("--as", dest="acting", metavar="NAME",
                        help="the manager doing it (needed unless --dry-run)")
    acting.add_argument("--format", choices=("text", "json"), default="text")
    split = how.add_parser("split", parents=[acting],
                           help="split a segment of members evenly across the active guides")
    split.add_argument("--segment", required=True, metavar="TEXT",
                       help=f"which members, e.g. {EXAMPLES}; join conditions with &")
    split.add_argument("--dry-run", action="store_true", help="print the preview, change nothing")
    handover = how.add_parser("handover", parents=[acting],
                              help="hand a leaving guide's members and open callbacks to others")
    handover.add_argument("--from", dest="leaving", required=True, metavar="NAME")
    handover.add_argument("--to", metavar="NAME,NAME",
                          help="the guides taking over (default: every other active guide)")
    handover.add_argument("--deactivate", action="store_true",
                          help="the leaving guide can no longer sign in or receive members")
    handover.add_argument("--dry-run", action="store_true", help="print the preview, change nothing")
    chosen = how.add_parser("members", parents=[acting], help="give chosen members to one guide")
    chosen.add_argument("members", metavar="M000001,M000002", help="member numbers or ids, commas between")
    chosen.add_argument("--to", required=True, metavar="NAME", help="the guide")


def cmd_assign(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.assign.plan import AssignError, plan_even_split, plan_hand_over
    from tui.db.assign.apply import apply_hand_over, apply_split, assign_members
    from tui.db.audit import PermissionDenied
    from tui.db.members.card import MemberNotFound, find_member
    from tui.db.members.segments import SegmentError, parse_segment
    from tui.reports.assign import assigned_text, plan_json, plan_text

    _open_existing(settings)
    now = clock.now()
    today = clock.today()
    dry_run = getattr(args, "dry_run", False)
    if not args.acting and not dry_run:
        raise UsageError("say who is assigning: --as NAME (a manager), or preview with --dry-run")
    acting = _signed_in(args.acting, settings, clock) if args.acting else None
    show = plan_json if args.format == "json" else plan_text
    try:
        if args.assign_command == "members":
            ids = [find_member(key).id for key in args.members.split(",") if key.strip()]
            result = assign_members(ids, _staff_named(args.to, "--to"), acting, now)
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
            to = ([_staff_named(n, "--to") for n in args.to.split(",") if n.strip()]
                  if args.to else None)
            plan = plan_hand_over(_staff_named(args.leaving, "--from"), to, today)
            apply = lambda: apply_hand_over(plan, acting, now, args.deactivate)  # noqa: E731
        sys.stdout.write(show(plan, None if dry_run else apply()))
        return 0
    except PermissionDenied as exc:
        print(f"shopfloor: refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except (AssignError, SegmentError, MemberNotFound) as exc:
        raise UsageError(str(exc)) from None


def _add_leaderboard_parser(sub, common: argparse.ArgumentParser) -> None:
    from tui.db.boards.figures import BOARDS

    board = sub.add_parser("leaderboard", parents=[common],
                           help="rank the active guides on one board for a period")
    board.add_argument("--board", required=True, choices=tuple(BOARDS), metavar="NAME",
                       help=f"one of {', '.join(BOARDS)}")
    board.add_argument("--period", default="today", metavar="today|week|month|FROM..TO",
                       help="in the shop's time zone; FROM..TO as YYYY-MM-DD..YYYY-MM-DD "
                            "(default today)")
    board.add_argument("--by", metavar="FIGURE", help="rank on this figure (default: the board's)")
    board.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS,
                       help="with --drill: the guide whose figure to open")
    board.add_argument("--drill", metavar="FIGURE",
                       help="list the members, contacts or callbacks behind a guide's figure")
    board.add_argument("--format", choices=("text", "json", "csv"), default="text")
    board.add_argument("--width", type=_count(40, 400), default=None, metavar="N",
                       help="text width in columns (default: the terminal's)")


def cmd_leaderboard(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.boards.boards import leaderboard
    from tui.db.boards.figures import BoardError
    from tui.db.staff import active_guides
    from tui.db.boards.drill import drill_down
    from tui.db.boards.periods import PeriodError, parse_period
    from tui.reports import leaderboards as report

    guide = getattr(args, "guide", None)
    if (guide is None) != (args.drill is None):
        raise UsageError("--drill and --guide go together: --drill FIGURE --guide NAME")
    _open_existing(settings)
    zone = settings.shop.zone
    today = clock.today()
    try:
        period = parse_period(args.period, today, zone, settings.leaderboards.week_starts_on)
    except PeriodError as exc:
        raise UsageError(f"--period: {exc}") from None
    try:
        if args.drill is None:
            board = leaderboard(args.board, period, settings, today, rank_by=args.by)
            out = {"json": report.board_json, "csv": report.board_csv}.get(args.format)
            if out is None:
                import shutil

                width = args.width or shutil.get_terminal_size((100, 24)).columns
                sys.stdout.write(report.board_text(board, settings.shop.name, width))
            else:
                sys.stdout.write(out(board))
            return 0
        guides = active_guides(by_name=True)
        match = [g for g, name in guides if name.lower() == guide.strip().lower()]
        if not match:
            names = ", ".join(name for _, name in guides) or "none"
            raise UsageError(f"--guide: no active guide named {guide!r}; on the boards: {names}")
        page = drill_down(args.board, args.drill, match[0], period, settings, today, limit=None)
    except BoardError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "csv":
        raise UsageError("--drill prints text or json; --format csv is for the board")
    sys.stdout.write(report.drill_json(page) if args.format == "json" else report.drill_text(page))
    return 0


def _add_pdca_parser(sub, common: argparse.ArgumentParser) -> None:
    pdca = sub.add_parser("pdca", parents=[common],
                          help="a PDCA plan's check: targets against actuals, per guide")
    pdca.add_argument("plan", nargs="?", metavar="PLAN",
                      help="the plan's name or id (default: every running plan)")
    pdca.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                      help="count up to the end of this day (default today)")
    pdca.add_argument("--cycle", type=_count(1, 10_000), metavar="N",
                      help="this cycle of the plan (default the latest)")
    pdca.add_argument("--history", action="store_true", help="every cycle side by side, and "
                      "the adjustments")
    pdca.add_argument("--drill", choices=("completion", "success", "sales"), metavar="FIGURE",
                      help="the members and contacts behind completion, success or sales")
    pdca.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS,
                      help="with --drill: the responsible guide (default the whole plan)")
    pdca.add_argument("--format", choices=("text", "json", "csv"), default="text")
    pdca.add_argument("--width", type=_count(40, 400), default=None, metavar="N",
                      help="text width in columns (default: the terminal's)")


def cmd_pdca(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    import shutil

    from tui.db.models import PlanCycle
    from tui.db.pdca.plans import find_cycle, find_plan
    from tui.db.pdca.check import plan_check
    from tui.db.pdca.form import PlanError
    from tui.db.pdca.view import plan_drill, plan_history
    from tui.reports import pdca as report

    guide = getattr(args, "guide", None)
    if guide is not None and args.drill is None:
        raise UsageError("--guide goes with --drill FIGURE")
    if (args.drill or args.history or args.cycle) and not args.plan:
        raise UsageError("--drill, --history and --cycle need a PLAN (its name or id)")
    if args.format == "csv" and (args.drill or args.history):
        raise UsageError("--drill and --history print text or json; --format csv is for the check")
    _open_existing(settings)
    day = args.date or clock.today()
    width = args.width or shutil.get_terminal_size((100, 24)).columns
    try:
        if not args.plan:
            running = (PlanCycle.select(PlanCycle.id).where(PlanCycle.status == "running")
                       .order_by(PlanCycle.id))
            checks = [plan_check(c.id, day, settings) for c in running]
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
                    _staff_named(guide, "--guide")
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


#: exit status when the sheet could not be printed (it is written to a file instead)
EXIT_NOT_PRINTED = 1


def _add_report_parser(sub, common: argparse.ArgumentParser) -> None:
    from tui.reports.eod import WIDTHS

    report = sub.add_parser("report", parents=[common], help="printed sheets: the end-of-day summary")
    which = report.add_subparsers(dest="report", metavar="REPORT", parser_class=_Parser,
                                  required=True)
    eod = which.add_parser("eod", parents=[common],
                           help="the end-of-day summary (日结), for a receipt printer or A4")
    eod.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the day (default today)")
    eod.add_argument("--width", type=int, choices=WIDTHS, default=None, metavar="N",
                     help="columns: 32 (58 mm receipt), 42 or 48 (80 mm receipt), 80 (A4; "
                          "the default)")
    eod.add_argument("--out", metavar="FILE", help="write the sheet to this file as well")
    eod.add_argument("--print", dest="send", action="store_true",
                     help="print it through CUPS (Chinese included)")
    eod.add_argument("--printer", metavar="NAME",
                     help="the CUPS printer (implies --print; default: CUPS's default printer)")


def cmd_report(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    """`shopfloor report eod`: the sheet on stdout, in a file, or on paper. When printing
    fails the sheet still lands in a file (--out, or eod-DAY.txt beside the database),
    the reason goes to stderr and the exit status is 1, so cron mails it."""
    from tui.db.callbacks.raising import ensure_generated, generated_on
    from tui.reports.eod import eod_summary, eod_text, sheet_file
    from tui.reports.printing import PrintError, print_report, printing_defaults

    _open_existing(settings)
    zone = settings.shop.zone
    today = clock.today()
    day = args.date or today
    if day > today:
        raise UsageError(f"--date {day}: that day has not happened yet (today is {today})")
    if day == today and generated_on() != today:
        # the daily rule run the app does on start: tomorrow's queue is then the screen's
        ensure_generated(today, settings.callbacks, zone, clock.now())
    printer, width = printing_defaults(settings)
    width = args.width or width or 80
    text = eod_text(eod_summary(day, settings), width)
    printing = args.send or args.printer is not None
    printer = args.printer or printer or None
    out = Path(args.out) if args.out else None
    if out is not None:
        _write_sheet(out, text)
    if not printing:
        if out is None:
            sys.stdout.write(text)
        return 0
    try:
        job = print_report(text, printer, width, title=f"eod-{day.isoformat()}")
    except PrintError as exc:
        print(f"shopfloor: not printed: {exc}", file=sys.stderr)
        if out is None:
            out = sheet_file(settings.database.path, day)
            try:
                _write_sheet(out, text)
            except UsageError as why:  # not even a file: the sheet goes to stdout (cron mails it)
                print(f"shopfloor: {why}; the sheet follows on stdout", file=sys.stderr)
                sys.stdout.write(text)
                return EXIT_NOT_PRINTED
        print(f"shopfloor: the end-of-day sheet for {day} is in {out}", file=sys.stderr)
        return EXIT_NOT_PRINTED
    print(f"Printed the end-of-day sheet for {day} on {printer or 'the default printer'} "
          f"(job {job}).")
    return 0


def _write_sheet(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the sheet there ({exc.strerror or exc})") from None


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    _add_assign_parser(sub, common)
    _add_leaderboard_parser(sub, common)
    _add_pdca_parser(sub, common)
    _add_report_parser(sub, common)


COMMANDS = {"assign": cmd_assign, "leaderboard": cmd_leaderboard, "pdca": cmd_pdca,
            "report": cmd_report}
