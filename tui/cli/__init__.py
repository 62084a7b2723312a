"""The `shopfloor` command: the app, and a command-line twin for every screen.

Every expected mistake (a bad setting, a bad argument, a missing database) is one line
on stderr and exit status 2; no traceback. One module per group of commands, each with
its `add_parsers` and `COMMANDS`; what they share is in tui.cli.common.
"""

from __future__ import annotations

import argparse
import sys

from tui import __version__
from tui.cli import assign, backup, boards, demo, deploy, floor, pdca, pin, report, run
from tui.cli.common import EXIT_REFUSED, Parser, UsageError, settings_from
from tui.cli.encoding import arguments, terminal_problem, text_out_problem
from tui.cli.run import launch
from tui.clock import Clock
from tui.errors import DAMAGED, ShopfloorError, damaged, full
from tui.i18n import LANGUAGES, use_language
from tui.settings import SettingsError
from tui.text import one_line

#: the groups in the order --help lists their commands
GROUPS = (run, demo, floor, pin, assign, boards, pdca, report, backup, deploy)
COMMANDS = {name: command for group in GROUPS for name, command in group.COMMANDS.items()}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--settings", metavar="PATH", default=argparse.SUPPRESS,
                        help="settings file (default: $SHOPFLOOR_SETTINGS or settings.toml)")
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="database file (default: from settings)")

    parser = Parser(prog="shopfloor", parents=[common],
                    description="The shop's member archive and today's callback queue.")
    parser.add_argument("--version", action="version", version=f"shopfloor {__version__}")
    parser.add_argument("--lang", choices=tuple(LANGUAGES), default=argparse.SUPPRESS,
                        help="the language for this run (default: settings [shop] language)")
    parser.add_argument("--guide", dest="forced_guide", metavar="NAME", default=argparse.SUPPRESS,
                        help="sign in as this staff member (an SSH forced command): the app "
                             "asks only for the PIN, and a command acts as them")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    for group in GROUPS:
        group.add_parsers(sub, common)
    return parser


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    """Run one command; `clock` is where "now" comes from (the tests freeze it)."""
    from tui.db.audit import PermissionDenied, record_refusal
    from tui.db.connection import DatabaseFault, DatabaseUnavailable
    from tui.db.migrations import SchemaError

    args = build_parser().parse_args(arguments(sys.argv[1:]) if argv is None else argv)
    # before anything is drawn or printed: a terminal that cannot show Chinese is told so
    problem = terminal_problem() if args.command in (None, "run") else text_out_problem()
    if problem:
        print(f"shopfloor: {problem}", file=sys.stderr)
        return 2
    try:
        settings = settings_from(args)
        if getattr(args, "lang", None):
            settings = settings.with_language(args.lang)
        use_language(settings.shop.language)
        clock = (clock or Clock()).in_zone(settings.shop.zone)
        return COMMANDS[args.command](args, settings, clock)
    except (SettingsError, SchemaError, UsageError) as exc:
        print(f"shopfloor: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except PermissionDenied as exc:
        # the refusal rolled back with its transaction: written down now, in its own
        record_refusal(exc.staff_id, clock.now(), str(exc))
        print(f"shopfloor: refused: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_REFUSED
    except DatabaseFault as exc:
        # another session held the database longer than the busy timeout, the disk refused,
        # or the file is damaged: not a usage mistake, but still one line
        if damaged(exc):
            words = DAMAGED
        elif full(exc):
            words = "the disk is full; nothing was saved: free some space and try again"
        elif "readonly database" in str(exc):
            words = "the database is read-only here; nothing was changed (it can be read only)"
        elif isinstance(exc, DatabaseUnavailable):
            words = f"the database is busy or cannot be written ({one_line(str(exc))}); try again"
        else:
            words = f"the database refused ({one_line(str(exc))})"
        print(f"shopfloor: {words}", file=sys.stderr)
        return 1
    except ShopfloorError as exc:
        # expected, not a usage mistake: the database held by a restore, a file refused
        print(f"shopfloor: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


__all__ = ["COMMANDS", "UsageError", "build_parser", "launch", "main"]
