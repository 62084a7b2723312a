"""`shopfloor export`: members, purchases, contacts, callbacks or the leaderboards to a CSV
or XLSX file, for Excel; a manager's, audited.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.cli.common import UsageError, acting_id, add_acting, day_arg, open_existing
from tui.clock import Clock
from tui.i18n import _
from tui.settings import Settings

KINDS = ("members", "purchases", "contacts", "callbacks", "boards")


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    export = sub.add_parser("export", parents=[common],
                            help=_("members, purchases, contacts, callbacks or the leaderboards "
                                   "to a CSV or XLSX file for Excel (manager; audited)"))
    export.add_argument("kind", choices=KINDS, metavar="WHAT",
                        help=_("one of {kinds}").format(kinds=", ".join(KINDS)))
    export.add_argument("--from", dest="first_day", type=day_arg, metavar="YYYY-MM-DD",
                        help=_("the first shop day (members: joined; purchases: sold; contacts: "
                               "logged; callbacks: due); default: from the start"))
    export.add_argument("--to", dest="last_day", type=day_arg, metavar="YYYY-MM-DD",
                        help=_("the last shop day, inclusive; default: to the end (the boards: "
                               "this month)"))
    export.add_argument("--format", choices=("csv", "xlsx"), required=True,
                        help=_("csv: UTF-8 with BOM; xlsx: real dates and numbers"))
    export.add_argument("--out", metavar="PATH",
                        help=_("a new file, or a folder to put it in (never written over a "
                               "file); default: the shop's exports folder beside the database"))
    add_acting(export, _("the manager exporting"))


def cmd_export(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.exports import Span
    from tui.reports.exports import export

    if args.first_day and args.last_day and args.last_day < args.first_day:
        raise UsageError(_("--from {first} --to {last}: the range ends before it starts")
                         .format(first=args.first_day, last=args.last_day))
    open_existing(settings)
    staff_id = acting_id(args, settings, clock, "export")
    done = export(args.kind, Span(args.first_day, args.last_day), args.format, staff_id,
                  clock.now(), clock.today(), settings, Path(args.out) if args.out else None)
    print(_("{rows} rows exported to {path}").format(rows=done.rows, path=done.path))
    return 0


COMMANDS = {"export": cmd_export}
