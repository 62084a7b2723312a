"""`shopfloor init`: a real shop begins: a new database, the shop's name and time zone in
the settings file, the first manager and her PIN. Then the app: she signs in and adds
the guides on the staff screen.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import UsageError, ask_pin
from tui.clock import Clock
from tui.i18n import _
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    init = sub.add_parser("init", parents=[common],
                          help=_("start a real shop: a new database, the shop's name and time "
                                 "zone, the first manager (asks what is not given)"))
    init.add_argument("--shop", metavar="NAME", help=_("the shop's name, as on its sign"))
    init.add_argument("--timezone", metavar="ZONE",
                      help=_("the shop's IANA time zone, such as Asia/Shanghai"))
    init.add_argument("--manager", metavar="NAME",
                      help=_("the first manager's name; her PIN is asked twice, or read from "
                             "SHOPFLOOR_NEW_PIN"))


def ask(option: str, prompt: str, given: str | None, problem) -> str:
    """An option's value, or asked at the terminal until right; checked either way."""
    if given is not None:
        if (words := problem(given)) is not None:
            raise UsageError(f"{option}: {words}")
        return given.strip()
    if not sys.stdin.isatty():
        raise UsageError(_("{option} is needed: give it, or run this at a terminal").format(
            option=option))
    while True:
        try:
            typed = input(prompt)
        except (EOFError, KeyboardInterrupt):
            raise UsageError(_("nothing was changed")) from None
        words = problem(typed)
        if words is None:
            return typed.strip()
        print(words, file=sys.stderr)


def cmd_init(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.connection import close_database, open_database
    from tui.db.staff import StaffError, add_first_manager, check_pin, shop_is_empty
    from tui.settings.writing import shop_name_problem, write_shop, zone_problem

    path = settings.database.path
    if path.exists():  # a file already there: only an empty shop may be begun in it
        open_database(path, settings.database.busy_timeout_ms, group=settings.database.file_group)
        empty = shop_is_empty()
        close_database()
        if not empty:
            raise UsageError(_("{path}: already holds a shop's data; init begins only a new "
                               "one (give another --db)").format(path=path))

    def manager_problem(name: str) -> str | None:
        if not name.strip():
            return _("the name is empty; type the name the staff member goes by")
        return None

    shop = ask("--shop", _("The shop's name: "), args.shop, shop_name_problem)
    zone = ask("--timezone", _("Its time zone (such as Asia/Shanghai): "), args.timezone,
               zone_problem)
    manager = ask("--manager", _("The first manager's name: "), args.manager, manager_problem)
    pin = ask_pin(_("New PIN for {name}: ").format(name=manager), "SHOPFLOOR_NEW_PIN")
    try:
        check_pin(pin, settings.staff)
    except StaffError as exc:
        raise UsageError(str(exc)) from None
    if ask_pin(_("The same PIN again: "), "SHOPFLOOR_NEW_PIN") != pin:
        raise UsageError(_("the two PINs differ; nothing changed"))

    # the settings first: a file that cannot be written leaves no half-begun shop behind
    write_shop(settings.source, shop, zone)
    open_database(path, settings.database.busy_timeout_ms, group=settings.database.file_group)
    try:
        add_first_manager(manager, pin, clock.now(), settings.staff)
    except StaffError as exc:
        raise UsageError(str(exc)) from None
    print(_("{shop} begins in {path} ({zone}); {name} is its manager. The settings file {file} "
            "has its name and time zone.").format(shop=shop, path=path, zone=zone, name=manager,
                                                   file=settings.source))
    print(_("Next: shopfloor --db {path}, sign in as {name}, and add the guides (S: staff).")
          .format(path=path, name=manager))
    return 0


COMMANDS = {"init": cmd_init}
