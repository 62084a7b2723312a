"""`shopfloor pin NAME`: set a staff member's PIN at the shop's computer.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse

from tui.cli.common import UsageError, acting_id, add_acting, ask_pin, open_existing, staff_id_named
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    pin = sub.add_parser("pin", parents=[common],
                         help=_("set a staff member's PIN at the shop's computer (asks it twice)"))
    pin.add_argument("name", metavar="NAME", help=_("the staff member, as on the staff list"))
    add_acting(pin, _("the manager resetting it, or its owner changing it (not needed for a "
                    "first PIN in an empty shop, or at the shop's own computer)"))


def cmd_pin(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    """A manager resets a PIN, or its owner changes it, signed in (`--as`); with nobody
    signed in, only a first PIN (tui.db.staff.first_pin_refusal): how the first manager
    of a new shop gets one."""
    from tui.db.audit import PermissionDenied
    from tui.db.staff import StaffError, first_pin_refusal, reset_pin, set_pin_at_the_computer

    open_existing(settings)
    staff_id = staff_id_named(args.name, "NAME")
    acting = acting_id(args, settings, clock)
    if acting is None and (refused := first_pin_refusal(staff_id)) is not None:
        raise PermissionDenied(refused)  # before asking for a PIN that could not be set
    pin = ask_pin(_("New PIN for {name}: ").format(name=args.name), "SHOPFLOOR_NEW_PIN")
    if ask_pin(_("The same PIN again: "), "SHOPFLOOR_NEW_PIN") != pin:
        raise UsageError(_("the two PINs differ; nothing changed"))
    try:
        if acting is None:
            name = set_pin_at_the_computer(staff_id, pin, clock.now(), settings.staff)
        else:
            reset_pin(staff_id, pin, acting, clock.now(), settings.staff)
            name = args.name
    except StaffError as exc:
        raise UsageError(str(exc)) from None
    print(_("PIN set for {name}; any lock is lifted.").format(name=name))
    return 0


COMMANDS = {"pin": cmd_pin}
