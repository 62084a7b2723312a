"""`shopfloor demo`: build the demo shop's database.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
from tui.cli.common import UsageError, count_arg
from tui.i18n import N_, _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help=_("build the demo shop database"))
    demo.add_argument("--members", type=count_arg(1, 1_000_000), default=2000, metavar="N",
                      help=_("members to create (default 2000)"))
    demo.add_argument("--seed", type=count_arg(0, 2**31), default=7, metavar="S",
                      help=_("random seed; the same seed builds the same shop (default 7)"))
    demo.add_argument("--force", action="store_true",
                      help=_("replace an existing demo shop (never a real shop's database)"))


def cmd_demo(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.connection import is_demo_shop
    from tui.db.backups.sessions import alone
    from tui.demo.build import DemoError, build_demo

    path = settings.database.path
    over = path.exists() and not path.is_dir()
    if over and not args.force:
        raise UsageError(_("{path}: already exists; add --force to replace it with the demo shop")
                         .format(path=path))
    if over and not is_demo_shop(path):
        raise UsageError(_("{path}: a real shop's database, not a demo shop; it is never "
                           "replaced (give the demo another --db)").format(path=path))
    try:
        if over:
            with alone(path, N_("rebuild the demo shop")):
                summary = build_demo(path, settings, members=args.members, seed=args.seed,
                                     now=clock.now(), over_demo=True)
        else:
            summary = build_demo(path, settings, members=args.members, seed=args.seed,
                                 now=clock.now())
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    print(_("Demo shop written to {path}: {members:,} members, {lines:,} purchase lines, "
            "{contacts:,} contacts in {seconds:.1f} s.").format(
        path=path, members=summary.members, lines=summary.purchase_lines,
        contacts=summary.contacts, seconds=summary.seconds))
    return 0


COMMANDS = {"demo": cmd_demo}
