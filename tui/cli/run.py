"""`shopfloor` and `shopfloor run`: the app itself, at the sign-in screen.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse

from tui.cli.common import guide_id, open_existing
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    run = sub.add_parser("run", parents=[common], help=_("start the app (the default)"))
    run.add_argument("--guide", metavar="NAME", default=argparse.SUPPRESS)


def launch(settings: Settings, user_id: int | None = None, preselect: str | None = None,
           on_first_queue=None, clock: Clock | None = None, **run) -> int:
    """Start the app on an open database: at the sign-in screen (with `preselect` chosen),
    or, for the benchmark, as `user_id` already signed in.

    The first page of the queue is read on a thread while Textual is imported and the
    screen set up: SQLite lets go of the GIL while it works, so the two overlap and
    the queue is ready when the screen is.
    """
    from concurrent.futures import ThreadPoolExecutor

    from tui.db.privacy import viewer_for
    from tui.db.staff import staff_by_id, staff_named
    from tui.db.callbacks.queue import callback_queue

    zone = settings.shop.zone
    clock = (clock or Clock()).in_zone(zone)
    today = clock.today()
    who = (staff_by_id(user_id) if user_id is not None
           else staff_named(preselect, active=False) if preselect else None)
    # the page the person is most likely to see first: their own, or the shop's
    scope = who.id if who is not None and who.role != "manager" else None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="first-page")
    # as the person preselected may see it; another who signs in reads their own page
    first_page = pool.submit(callback_queue, today, settings.callbacks, zone, guide_id=scope,
                             viewer=viewer_for(who.id, who.role, settings.staff) if who else None)
    pool.shutdown(wait=False)
    from tui.app import ShopfloorApp

    app = ShopfloorApp(settings, user_id=user_id, preselect=preselect, first_page=first_page,
                       on_first_queue=on_first_queue, clock=clock)
    app.run(**run)
    return app.return_code or 0


def cmd_run(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    open_existing(settings, warn=False)  # the app says it on screen
    name = getattr(args, "guide", None) or getattr(args, "forced_guide", None)
    guide_id(name)  # a name not on the staff list: one line, before the screen opens
    return launch(settings, preselect=name, clock=clock)


COMMANDS = {"run": cmd_run, None: cmd_run}
