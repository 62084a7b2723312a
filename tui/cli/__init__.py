"""The `shopfloor` command: the app, and a command-line twin for every screen.

Every expected mistake (a bad setting, a bad argument, a missing database) is one line
on stderr and exit status 2; no traceback. One module per group of commands, each with
its `add_parsers` and `COMMANDS`; what they share is in tui.cli.common.
"""

from __future__ import annotations

import argparse
import sys

from tui import __version__
from tui.cli import (assign, backup, boards, demo, deploy, export, floor, imports, init, pdca,
                     pin, report, run)
from tui.cli.common import EXIT_REFUSED, Parser, UsageError, settings_from, speak_argparse
from tui.cli.encoding import arguments, terminal_problem, text_out_problem
from tui.cli.run import launch
from tui.clock import Clock
from tui.errors import DAMAGED, ShopfloorError, damaged, full
from tui.i18n import LANGUAGES, _, use_language
from tui.settings import SettingsError
from tui.text import one_line

#: the groups in the order --help lists their commands
GROUPS = (run, init, demo, floor, pin, assign, boards, pdca, report, export, imports, backup,
          deploy)
COMMANDS = {name: command for group in GROUPS for name, command in group.COMMANDS.items()}


def language_before_parsing(argv: list[str]) -> str:
    """The language of --help and of argparse's mistakes, known before the arguments are
    parsed: --lang, else the settings file's [shop] language read cheaply (a file that
    cannot be read is said later, when the settings are loaded; till then, English)."""
    import tomllib

    from tui.files import read_small_text
    from tui.settings.loading import settings_path

    chosen = settings = None
    for i, word in enumerate(argv):
        name, _eq, value = word.partition("=")
        if name in ("--lang", "--settings"):
            value = value if _eq else (argv[i + 1] if i + 1 < len(argv) else "")
            chosen, settings = (value, settings) if name == "--lang" else (chosen, value)
    if chosen in LANGUAGES:
        return chosen
    try:
        data = tomllib.loads(read_small_text(settings_path(settings or None), 1_000_000))
        code = data.get("shop", {}).get("language", "en")
    except Exception:  # noqa: BLE001 - any fault here is said by load_settings, in its words
        return "en"
    return code if code in LANGUAGES else "en"


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the language spoken now (use_language first)."""
    speak_argparse()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--settings", metavar="PATH", default=argparse.SUPPRESS,
                        help=_("settings file (default: $SHOPFLOOR_SETTINGS or settings.toml)"))
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=_("database file (default: from settings)"))

    parser = Parser(prog="shopfloor", parents=[common],
                    description=_("The shop's member archive and today's callback queue."))
    parser.add_argument("--version", action="version", version=f"shopfloor {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--lang", choices=tuple(LANGUAGES), default=argparse.SUPPRESS,
                        help=_("the language for this run (default: settings [shop] language)"))
    parser.add_argument("--guide", dest="forced_guide", metavar="NAME", default=argparse.SUPPRESS,
                        help=_("sign in as this staff member (an SSH forced command): the app "
                             "asks only for the PIN, and a command acts as them"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    for group in GROUPS:
        group.add_parsers(sub, common)
    return parser


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    """Run one command; `clock` is where "now" comes from (the tests freeze it)."""
    from tui.db.audit import PermissionDenied, record_refusal
    from tui.db.connection import DatabaseFault, DatabaseUnavailable
    from tui.db.migrations import SchemaError

    argv = arguments(sys.argv[1:]) if argv is None else argv
    use_language(language_before_parsing(argv))
    args = build_parser().parse_args(argv)
    # before anything is drawn or printed: a terminal that cannot show Chinese is told so
    # (in English: such a terminal cannot show the Chinese words)
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
        print("shopfloor: " + _("refused: {why}").format(why=one_line(str(exc))), file=sys.stderr)
        return EXIT_REFUSED
    except DatabaseFault as exc:
        # another session held the database longer than the busy timeout, the disk refused,
        # or the file is damaged: not a usage mistake, but still one line
        if damaged(exc):
            words = _(DAMAGED)  # marked where it is written (tui.errors)
        elif full(exc):
            words = _("the disk is full; nothing was saved: free some space and try again")
        elif "readonly database" in str(exc):
            words = _("the database is read-only here; nothing was changed (it can be read only)")
        elif isinstance(exc, DatabaseUnavailable):
            words = _("the database is busy or cannot be written ({why}); try again").format(
                why=one_line(str(exc)))
        else:
            words = _("the database refused ({why})").format(why=one_line(str(exc)))
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
