"""`shopfloor pin NAME`: set a staff member's PIN at the shop's computer.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse

from tui.cli.common import UsageError, ask_pin, open_existing, staff_id_named
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    pin = sub.add_parser("pin", parents=[common],
                         help="set a staff member's PIN at the shop's computer (asks it twice)")
    pin.add_argument("name", metavar="NAME", help="the staff member, as on the staff list")


def cmd_pin(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    """Whoever can run commands on the shop's computer can already change its database
    file; this is how the first manager gets a PIN, and how a forgotten one is reset."""
    from tui.db.staff import StaffError, set_pin_at_the_computer

    open_existing(settings)
    staff_id = staff_id_named(args.name, "NAME")
    pin = ask_pin(f"New PIN for {args.name}: ", "SHOPFLOOR_NEW_PIN")
    if ask_pin("The same PIN again: ", "SHOPFLOOR_NEW_PIN") != pin:
        raise UsageError("the two PINs differ; nothing changed")
    try:
        name = set_pin_at_the_computer(staff_id, pin, clock.now(), settings.staff)
    except StaffError as exc:
        raise UsageError(str(exc)) from None
    print(f"PIN set for {name}; any lock is lifted.")
    return 0


COMMANDS = {"pin": cmd_pin}
