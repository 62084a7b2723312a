"""`shopfloor demo`: build the demo shop's database.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.cli.common import UsageError, count_arg
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help="build the demo shop database")
    demo.add_argument("--members", type=count_arg(1, 1_000_000), default=2000, metavar="N",
                      help="members to create (default 2000)")
    demo.add_argument("--seed", type=count_arg(0, 2**31), default=7, metavar="S",
                      help="random seed; the same seed builds the same shop (default 7)")
    demo.add_argument("--force", action="store_true", help="replace an existing database file")


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


COMMANDS = {"demo": cmd_demo}
