"""`shopfloor leaderboard`: a board for a period, and what stands behind a figure.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import UsageError, acting_id, add_acting, count_arg, open_existing
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    from tui.db.boards.figures import BOARDS

    board = sub.add_parser("leaderboard", parents=[common],
                           help=_("rank the active guides on one board for a period"))
    board.add_argument("--board", required=True, choices=tuple(BOARDS), metavar="NAME",
                       help=_("one of {boards}").format(boards=", ".join(BOARDS)))
    board.add_argument("--period", default="today", metavar="today|week|month|FROM..TO",
                       help=_("in the shop's time zone; FROM..TO as YYYY-MM-DD..YYYY-MM-DD "
                            "(default today)"))
    board.add_argument("--by", metavar="FIGURE", help=_("rank on this figure (default: the board's)"))
    board.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS,
                       help=_("with --drill: the guide whose figure to open"))
    board.add_argument("--drill", metavar="FIGURE",
                       help=_("list the members, contacts or callbacks behind a guide's figure"))
    board.add_argument("--format", choices=("text", "json", "csv"), default="text")
    add_acting(board, _("who is reading (needed with --drill: it lists members)"))
    board.add_argument("--width", type=count_arg(40, 400), default=None, metavar="N",
                       help=_("text width in columns (default: the terminal's)"))


def cmd_leaderboard(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.boards.boards import leaderboard
    from tui.db.boards.figures import BoardError
    from tui.db.staff import active_guides
    from tui.db.boards.drill import drill_down
    from tui.db.boards.periods import PeriodError, parse_period
    from tui.reports import leaderboards as report

    guide = getattr(args, "guide", None)
    if (guide is None) != (args.drill is None):
        raise UsageError(_("--drill and --guide go together: --drill FIGURE --guide NAME"))
    open_existing(settings)
    if args.drill is not None:
        acting_id(args, settings, clock, "leaderboard --drill")
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
            names = ", ".join(name for _id, name in guides) or _("none")
            raise UsageError(_("--guide: no active guide named {guide!r}; on the boards: {names}")
                             .format(guide=guide, names=names))
        page = drill_down(args.board, args.drill, match[0], period, settings, today, limit=None)
    except BoardError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "csv":
        raise UsageError(_("--drill prints text or json; --format csv is for the board"))
    sys.stdout.write(report.drill_json(page) if args.format == "json" else report.drill_text(page))
    return 0


COMMANDS = {"leaderboard": cmd_leaderboard}
