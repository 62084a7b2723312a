"""`shopfloor report eod`: the end-of-day sheet, to the screen, a file or the printer.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import (EXIT_NOT_PRINTED, Parser, UsageError, acting_id, add_acting, day_arg,
                            open_existing)
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings
from tui.text import one_line


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    from tui.reports.eod import WIDTHS

    report = sub.add_parser("report", parents=[common], help=_("printed sheets: the end-of-day summary"))
    which = report.add_subparsers(dest="report", metavar="REPORT", parser_class=Parser,
                                  required=True)
    eod = which.add_parser("eod", parents=[common],
                           help=_("the end-of-day summary (日结), for a receipt printer or A4"))
    eod.add_argument("--date", type=day_arg, metavar="YYYY-MM-DD", help=_("the day (default today)"))
    eod.add_argument("--width", type=int, choices=WIDTHS, default=None, metavar="N",
                     help=_("columns: 32 (58 mm receipt), 42 or 48 (80 mm receipt), 80 (A4; "
                          "the default)"))
    eod.add_argument("--out", metavar="FILE", help=_("write the sheet to this file as well"))
    eod.add_argument("--print", dest="send", action="store_true",
                     help=_("print it through CUPS (Chinese included)"))
    eod.add_argument("--printer", metavar="NAME",
                     help=_("the CUPS printer (implies --print; default: CUPS's default printer)"))
    add_acting(eod, _("who is reading: the new members are then named (without it, as from "
                    "cron, they are listed by member number only)"))


def cmd_report(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    """`shopfloor report eod`: the sheet on stdout, in a file, or on paper. When printing
    fails the sheet still lands in a file (--out, or eod-DAY.txt beside the database),
    the reason goes to stderr and the exit status is 1, so cron mails it."""
    from tui.db.callbacks.raising import ensure_generated, generated_on
    from tui.db.connection import read_only
    from tui.reports.eod import eod_summary, eod_text, sheet_file
    from tui.reports.printing import PrintError, PrinterStopped, print_report, printing_defaults

    open_existing(settings)
    # nobody signed in (cron, no PIN in a crontab): the sheet names no member
    names = acting_id(args, settings, clock) is not None
    zone = settings.shop.zone
    today = clock.today()
    day = args.date or today
    if day > today:
        raise UsageError(_("--date {day}: that day has not happened yet (today is {today})")
                         .format(day=day, today=today))
    if day == today and generated_on() != today and not read_only():
        # the daily rule run the app does on start: tomorrow's queue is then the screen's
        ensure_generated(today, settings.callbacks, zone, clock.now())
    printer, width = printing_defaults(settings)
    width = args.width or width or 80
    text = eod_text(eod_summary(day, settings, names), width)
    printing = args.send or args.printer is not None
    printer = args.printer or printer or None
    out = Path(args.out) if args.out else None
    if out is not None:
        _write_sheet(out, text, settings.database.file_group)
    if not printing:
        if out is None:
            sys.stdout.write(text)
        return 0
    try:
        job = print_report(text, printer, width, title=f"eod-{day.isoformat()}")
    except PrintError as exc:
        words = str(exc) + (f": cupsenable {exc.printer}" if isinstance(exc, PrinterStopped) else "")
        print("shopfloor: " + _("not printed: {why}").format(why=one_line(words)), file=sys.stderr)
        if out is None:
            out = sheet_file(settings.database.path, day)
            try:
                _write_sheet(out, text, settings.database.file_group)
            except UsageError as why:  # not even a file: the sheet goes to stdout (cron mails it)
                print("shopfloor: " + _("{why}; the sheet follows on stdout").format(why=why),
                      file=sys.stderr)
                sys.stdout.write(text)
                return EXIT_NOT_PRINTED
        print("shopfloor: " + _("the end-of-day sheet for {day} is in {file}").format(
            day=day, file=out), file=sys.stderr)
        return EXIT_NOT_PRINTED
    print(_("Printed the end-of-day sheet for {day} on {printer} (job {job}).").format(
        day=day, printer=printer or _("the default printer"), job=job))
    return 0


def _write_sheet(path: Path, text: str, group: str) -> None:
    """A new file with the shop's mode: never over a file, never through a symlink."""
    from tui.files import FileError, write_new

    try:
        write_new(path, text, group, what="the sheet")
    except FileError as exc:
        raise UsageError(str(exc)) from None


COMMANDS = {"report": cmd_report}
