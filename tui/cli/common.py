"""What every command shares: the argument parser that errs in one line, the argument
types, settings and the database, staff by name and the PIN asked at the terminal.

Imports of the db are inside the functions, for start-up time (see tui/cli/__init__.py).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import NoReturn

from tui.clock import Clock, outside_days
from tui.errors import ShopfloorError
from tui.files import exposure_warning
from tui.i18n import N_, _
from tui.settings import Settings, load_settings

#: exit status when the person acting may not do this (a role check, in the data layer),
#: or a command the data layer refuses (a plan gone stale)
EXIT_REFUSED = 3
#: exit status when the sheet could not be printed (it is written to a file instead)
EXIT_NOT_PRINTED = 1
#: exit status of a backup or restore that could not be done (nothing was changed)
EXIT_NOT_DONE = 1


class UsageError(ShopfloorError):
    """A wrong argument; str() is the one line to print."""


#: argparse's own words, which it looks up with gettext when it needs them: marked here so
#: the catalogue has them, and said in the language spoken (speak_argparse)
ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"), N_("one of the arguments %s is required"),
    N_("expected one argument"), N_("expected at most one argument"),
    N_("expected at least one argument"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"), N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def speak_argparse() -> None:
    """argparse says its words ("usage:", "options", "invalid choice") through its module's
    `_`, stdlib gettext in the 'messages' domain, which follows LANG: ours instead, so
    `--help` and its mistakes are in the language chosen by settings or --lang."""
    from tui import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


#: Chinese punctuation a line never starts with: it stays with the word before it
_CLOSING = set("，。；：、）》」』！？")


def cell_wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns, Chinese counted as two: broken
    at spaces, or between two Chinese characters (argparse's textwrap counts characters,
    so a Chinese help line would run twice as wide as the terminal)."""
    import unicodedata

    def wide(ch: str) -> bool:
        return unicodedata.east_asian_width(ch) in ("W", "F")

    words: list[str] = []
    for word in text.split():
        piece = ""
        for ch in word:
            if piece and (wide(ch) or wide(piece[-1])) and ch not in _CLOSING:
                words.append(piece)
                piece = ""
            piece += ch
        words.append(piece)
        words.append(" ")
    lines, line, used = [], "", 0
    for word in words[:-1]:
        w = sum(2 if wide(ch) else 1 for ch in word)
        if word == " ":
            if line:
                line, used = line + " ", used + 1
            continue
        if line.strip() and used + w > width:
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + word, used + w
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpWords(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal columns (cell_wrap)."""

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        # "用法：" is three characters but six columns: the usage lines keep to the width
        words = _("usage: ") if prefix is None else prefix
        extra = sum(1 for ch in words if ord(ch) > 0x2e80)
        self._width -= extra
        try:
            text = super()._format_usage(usage, actions, groups, words)
        finally:
            self._width += extra
        # and the lines after the first line up under the program's name, by columns
        first, *rest = text.split("\n")
        return "\n".join([first] + [" " * extra + line if line.strip() else line
                                     for line in rest])

    def _split_lines(self, text: str, width: int) -> list[str]:
        return cell_wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in cell_wrap(text, width - len(indent)))


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpWords)
        super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        # argparse puts an ASCII colon after a section's title: a Chinese title takes its own
        text = super().format_help()
        for title in (_("positional arguments"), _("options")):
            if not title.isascii():
                text = text.replace(f"\n{title}:\n", f"\n{title}：\n")
        return text

    def error(self, message: str) -> NoReturn:
        self.exit(2, _("{prog}: {message} (see {prog} --help)").format(prog=self.prog,
                                                                      message=message) + "\n")


def day_arg(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date; use YYYY-MM-DD").format(text=text)) from None
    if outside_days(day):
        raise argparse.ArgumentTypeError(outside_days(day))
    return day


def count_arg(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("{text!r}: give a whole number from {low} to {high}").format(
                    text=text, low=low, high=high))
        return value
    return parse


def settings_from(args: argparse.Namespace) -> Settings:
    if getattr(args, "db", None) == "" or getattr(args, "settings", None) == "":
        raise UsageError(_("--db and --settings need a path"))
    settings = load_settings(getattr(args, "settings", None))
    if getattr(args, "db", None):
        settings = settings.with_database(args.db)
    return settings


def open_existing(settings: Settings, warn: bool = True) -> None:
    """Open the database settings name; say once on stderr (unless WARN is off: the app
    says it on screen) when others can read its files."""
    from tui.db.connection import open_database

    path = settings.database.path
    if not path.exists():
        raise UsageError(_("{path}: no database here; start a real shop with 'shopfloor init "
                           "--db {path}', build the demo shop with 'shopfloor demo --db {path}', "
                           "or pick one with --db").format(path=path))
    open_database(path, settings.database.busy_timeout_ms, group=settings.database.file_group)
    warning = exposure_warning(path, settings.database.file_group) if warn else None
    if warning:
        print("shopfloor: " + _("warning: {words}").format(words=warning), file=sys.stderr)


def guide_id(name: str | None) -> int | None:
    if name is None:
        return None
    from tui.db.staff import active_staff, staff_named

    staff = staff_named(name)
    if staff is None:
        names = ", ".join(s.name for s in active_staff()) or _("none on file")
        raise UsageError(_("--guide: no active staff named {name!r}; choose one of: {names}")
                         .format(name=name, names=names))
    return staff.id


def ask_pin(prompt: str, variable: str) -> str:
    """A PIN from the terminal, unseen; for scripts and cron, from the environment."""
    import getpass
    import os

    if os.environ.get(variable):
        return os.environ[variable]
    if not sys.stdin.isatty():
        raise UsageError(_("a PIN is needed: run this at a terminal, or set {variable}")
                         .format(variable=variable))
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise UsageError(_("no PIN given")) from None


def add_acting(parser: argparse.ArgumentParser, words: str) -> None:
    parser.add_argument("--as", dest="acting", metavar="NAME",
                        help=_("{words}; the PIN is asked, or read from SHOPFLOOR_PIN")
                        .format(words=words))


def acting_id(args: argparse.Namespace, settings: Settings, clock: Clock,
              command: str | None = None) -> int | None:
    """The signed-in person a command acts as: `--as NAME`, or the forced SSH command's
    `--guide NAME`, once the PIN is right. A command that shows personal data names
    itself (`command`) and needs one; else None when nobody is named."""
    from tui.db.audit import PermissionDenied
    from tui.db.staff import staff_named

    forced, name = getattr(args, "forced_guide", None), getattr(args, "acting", None)
    if forced and name and name.strip().lower() != forced.strip().lower():
        guide = staff_named(forced, active=False)
        raise PermissionDenied(_("this session is {forced}'s (--guide); it cannot act as "
                                 "{name}").format(forced=forced, name=name),
                               guide.id if guide else None)
    if not (name or forced):
        if command is None:
            return None
        raise UsageError(_("{command} shows members' personal data: say who you are with "
                           "--as NAME (the PIN is asked, or read from SHOPFLOOR_PIN)")
                         .format(command=command))
    return signed_in(name or forced, settings, clock, "--as" if name else "--guide")


def signed_in(name: str, settings: Settings, clock: Clock, option: str = "--as") -> int:
    """The staff member named, once their PIN is right (the same lock as the app's)."""
    from tui.db.staff import SignInError, sign_in

    staff_id = staff_id_named(name, option)
    try:
        sign_in(staff_id, ask_pin(_("{name}'s PIN: ").format(name=name), "SHOPFLOOR_PIN"),
                clock.now(), settings.staff)
    except SignInError as exc:
        raise UsageError(f"{option} {name}: {exc}") from None
    return staff_id


def staff_id_named(name: str, option: str) -> int:
    """A staff member by name, active or not (the data layer says what is wrong with them)."""
    from tui.db.pinyin import name_order
    from tui.db.staff import staff_list, staff_named

    staff = staff_named(name, active=False)
    if staff is None:
        names = _(", ").join(sorted((s.name for s in staff_list()), key=name_order))
        raise UsageError(_("{option}: nobody named {name!r} on the staff list; staff: {names}")
                         .format(option=option, name=name, names=names))
    return staff.id
