"""The `shopfloor` command: the app, and a command-line twin for every screen.

Every expected mistake (a bad setting, a bad argument, a missing database) is one line
on stderr and exit status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from tui import __version__
from tui.clock import Clock
from tui.settings import Settings, SettingsError, load_settings


class UsageError(Exception):
    """A wrong argument; str() is the one line to print."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _count(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: give a whole number from {low} to {high}")
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--settings", metavar="PATH", default=argparse.SUPPRESS,
                        help="settings file (default: $SHOPFLOOR_SETTINGS or settings.toml)")
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="database file (default: from settings)")

    parser = _Parser(prog="shopfloor", parents=[common],
                     description="The shop's member archive and today's callback queue.")
    parser.add_argument("--version", action="version", version=f"shopfloor {__version__}")
    parser.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS,
                        help="sign in as this staff member: the app asks only for the PIN")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = sub.add_parser("run", parents=[common], help="start the app (the default)")
    run.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS)

    demo = sub.add_parser("demo", parents=[common], help="build the demo shop database")
    demo.add_argument("--members", type=_count(1, 1_000_000), default=2000, metavar="N",
                      help="members to create (default 2000)")
    demo.add_argument("--seed", type=_count(0, 2**31), default=7, metavar="S",
                      help="random seed; the same seed builds the same shop (default 7)")
    demo.add_argument("--force", action="store_true", help="replace an existing database file")

    queue = sub.add_parser("queue", parents=[common], help="print a day's callback queue")
    queue.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the day (default today)")
    queue.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS,
                       help="only this guide's callbacks (default: the whole shop)")
    queue.add_argument("--format", choices=("text", "json", "csv"), default="text")
    queue.add_argument("--width", type=_count(40, 400), default=None, metavar="N",
                       help="text width in columns (default: the terminal's)")
    lookup = sub.add_parser("lookup", parents=[common],
                            help="find members by phone tail, member number, name or pinyin")
    lookup.add_argument("query", metavar="QUERY",
                        help="last 4+ digits of a phone, a member number, 张三, zs or zhangsan")
    lookup.add_argument("--format", choices=("text", "json"), default="text")

    member = sub.add_parser("member", parents=[common], help="print one member's card")
    member.add_argument("member", metavar="ID", help="member id, or member number such as M000123")
    member.add_argument("--format", choices=("text", "json"), default="text")
    pin = sub.add_parser("pin", parents=[common],
                         help="set a staff member's PIN at the shop's computer (asks it twice)")
    pin.add_argument("name", metavar="NAME", help="the staff member, as on the staff list")
    from tui.cli_office import add_parsers

    add_parsers(sub, common)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    if getattr(args, "db", None) == "" or getattr(args, "settings", None) == "":
        raise UsageError("--db and --settings need a path")
    settings = load_settings(getattr(args, "settings", None))
    if getattr(args, "db", None):
        settings = settings.with_database(args.db)
    return settings


def _open_existing(settings: Settings) -> None:
    from tui.db.connection import open_database

    path = settings.database.path
    if not path.exists():
        raise UsageError(f"{path}: no database here; build the demo shop with "
                         f"'shopfloor demo --db {path}' or pick one with --db")
    open_database(path, settings.database.busy_timeout_ms)


def _guide_id(name: str | None) -> int | None:
    if name is None:
        return None
    from tui.db.staff import active_staff, staff_named

    staff = staff_named(name)
    if staff is None:
        names = ", ".join(s.name for s in active_staff()) or "none on file"
        raise UsageError(f"--guide: no active staff named {name!r}; choose one of: {names}")
    return staff.id


def cmd_demo(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.demo.build import DemoError, build_demo

    path = settings.database.path
    if path.exists():
        if not args.force:
            raise UsageError(f"{path}: already exists; add --force to replace it with the demo shop")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    try:
        summary = build_demo(path, settings, members=args.members, seed=args.seed, now=clock.now())
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    print(f"Demo shop written to {path}: {summary.members:,} members, "
          f"{summary.purchase_lines:,} purchase lines, {summary.contacts:,} contacts "
          f"in {summary.seconds:.1f} s.")
    return 0


def cmd_queue(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.callbacks.raising import ensure_generated, generated_on
    from tui.db.callbacks.queue import callback_queue
    from tui.reports.queue import queue_csv, queue_json, queue_text

    _open_existing(settings)
    zone = settings.shop.zone
    today = clock.today()
    day = args.date or today
    guide_id = _guide_id(getattr(args, "guide", None))
    if day == today and generated_on() != today:
        # the same daily rule run the app does on start, so both show the same queue
        print("Raising today's callbacks (the first run of the day takes a moment)…",
              file=sys.stderr, flush=True)
        ensure_generated(today, settings.callbacks, zone, clock.now())
    page = callback_queue(day, settings.callbacks, zone, guide_id=guide_id, limit=None)
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
    from tui.db.members.lookup import QueryError, lookup_members
    from tui.reports.lookup import hits_json, hits_text

    _open_existing(settings)
    try:
        hits = lookup_members(args.query)
    except QueryError as exc:
        raise UsageError(f"lookup {args.query!r}: {exc}") from None
    sys.stdout.write(hits_json(args.query, hits) if args.format == "json" else hits_text(hits))
    return 0


def cmd_member(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.members.card import MemberNotFound, find_member, member_card
    from tui.reports.member import card_json, card_text

    _open_existing(settings)
    try:
        card = member_card(find_member(args.member).id, clock.today(),
                           settings)
    except MemberNotFound as exc:
        raise UsageError(str(exc)) from None
    archive = settings.archive
    sys.stdout.write(card_json(card) if args.format == "json"
                     else card_text(card, archive.hard_fields, archive.soft_fields))
    return 0


def _ask_pin(prompt: str, variable: str) -> str:
    """A PIN from the terminal, unseen; for scripts and cron, from the environment."""
    import getpass
    import os

    if os.environ.get(variable):
        return os.environ[variable]
    if not sys.stdin.isatty():
        raise UsageError(f"a PIN is needed: run this at a terminal, or set {variable}")
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise UsageError("no PIN given") from None


def _signed_in(name: str, settings: Settings, clock: Clock, option: str = "--as") -> int:
    """The staff member named, once their PIN is right (the same lock as the app's)."""
    from tui.db.staff import SignInError, sign_in

    staff_id = _staff_named(name, option)
    try:
        sign_in(staff_id, _ask_pin(f"{name}'s PIN: ", "SHOPFLOOR_PIN"), clock.now(), settings.staff)
    except SignInError as exc:
        raise UsageError(f"{option} {name}: {exc}") from None
    return staff_id


def cmd_pin(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    """Whoever can run commands on the shop's computer can already change its database
    file; this is how the first manager gets a PIN, and how a forgotten one is reset."""
    from tui.db.staff import StaffError, set_pin_at_the_computer

    _open_existing(settings)
    staff_id = _staff_named(args.name, "NAME")
    pin = _ask_pin(f"New PIN for {args.name}: ", "SHOPFLOOR_NEW_PIN")
    if _ask_pin("The same PIN again: ", "SHOPFLOOR_NEW_PIN") != pin:
        raise UsageError("the two PINs differ; nothing changed")
    try:
        name = set_pin_at_the_computer(staff_id, pin, clock.now(), settings.staff)
    except StaffError as exc:
        raise UsageError(str(exc)) from None
    print(f"PIN set for {name}; any lock is lifted.")
    return 0


def _staff_named(name: str, option: str) -> int:
    """A staff member by name, active or not (the data layer says what is wrong with them)."""
    from tui.db.staff import staff_list, staff_named

    staff = staff_named(name, active=False)
    if staff is None:
        names = ", ".join(sorted(s.name for s in staff_list()))
        raise UsageError(f"{option}: nobody named {name!r} on the staff list; staff: {names}")
    return staff.id


def launch(settings: Settings, user_id: int | None = None, preselect: str | None = None,
           on_first_queue=None, clock: Clock | None = None, **run) -> int:
    """Start the app on an open database: at the sign-in screen (with `preselect` chosen),
    or, for the benchmark, as `user_id` already signed in.

    The first page of the queue is read on a thread while Textual is imported and the
    screen set up: SQLite lets go of the GIL while it works, so the two overlap and
    the queue is ready when the screen is.
    """
    from concurrent.futures import ThreadPoolExecutor

    from tui.db.models import Staff
    from tui.db.callbacks.queue import callback_queue

    zone = settings.shop.zone
    clock = (clock or Clock()).in_zone(zone)
    today = clock.today()
    who = (Staff.get_or_none(Staff.id == user_id) if user_id is not None
           else Staff.get_or_none(Staff.name == preselect) if preselect else None)
    # the page the person is most likely to see first: their own, or the shop's
    scope = who.id if who is not None and who.role != "manager" else None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="first-page")
    first_page = pool.submit(callback_queue, today, settings.callbacks, zone, guide_id=scope)
    pool.shutdown(wait=False)
    from tui.app import ShopfloorApp

    app = ShopfloorApp(settings, user_id=user_id, preselect=preselect, first_page=first_page,
                       on_first_queue=on_first_queue, clock=clock)
    app.run(**run)
    return app.return_code or 0


def cmd_run(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    _open_existing(settings)
    name = getattr(args, "guide", None)
    _guide_id(name)  # a name not on the staff list: one line, before the screen opens
    return launch(settings, preselect=name, clock=clock)


COMMANDS = {"pin": cmd_pin, "demo": cmd_demo, "queue": cmd_queue, "lookup": cmd_lookup,
            "member": cmd_member, "run": cmd_run, None: cmd_run}


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    """Run one command; `clock` is where "now" comes from (the tests freeze it)."""
    from peewee import OperationalError

    from tui.db.migrations import SchemaError

    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
        from tui.cli_office import COMMANDS as OFFICE

        clock = (clock or Clock()).in_zone(settings.shop.zone)
        return {**COMMANDS, **OFFICE}[args.command](args, settings, clock)
    except (SettingsError, SchemaError, UsageError) as exc:
        print(f"shopfloor: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        # another session held the database longer than the busy timeout, or the disk
        # refused: not a usage mistake, but still one line
        print(f"shopfloor: the database is busy or cannot be written ({exc}); try again",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
