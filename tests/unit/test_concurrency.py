"""Several SSH sessions write at once: none of them may fail with "database is locked".

The sessions here are real: a second SQLite connection holds the write lock while the one
under test writes, and lets go when told (a thread, an event), never after a guessed time.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from fixture_shop import NOW, TODAY, build_fixture_shop
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.callbacks.raising import generated_on, refresh_shop
from tui.db.connection import DatabaseUnavailable, close_database, open_database
from tui.db.models import Contact, database

ROUNDS = 60
WRITER = """
import sys
from datetime import datetime, timedelta
sys.path.insert(0, {tests!r})
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.callbacks.raising import refresh_shop
from tui.db.connection import open_database
from tui.settings import load_settings
import os, time
settings = load_settings().with_database({db!r})
open_database(settings.database.path, settings.database.busy_timeout_ms)
start = datetime(2026, 11, 23, 3, 30)
# a start line: both sessions begin writing at the same moment
open({ready!r} + "{n}", "w").close()
while not all(os.path.exists({ready!r} + str(k)) for k in (0, 1)):
    time.sleep(0.001)
for i in range(ROUNDS):
    log_contact(ContactEntry({member}, {staff}, "phone", "reached", True, "session {n} call " + str(i)),
                settings.callbacks, settings.shop.zone, start + timedelta(seconds=i))
    if i % 20 == 0:
        refresh_shop(start.date(), settings.callbacks, settings.shop.zone, start)
print("ok")
"""


def test_two_sessions_logging_contacts_at_once(db, settings):
    ids = build_fixture_shop(settings)
    before = Contact.select().count()
    close_database()
    tests = str(Path(__file__).resolve().parents[1])
    procs = [subprocess.Popen(
        [sys.executable, "-c", WRITER.replace("ROUNDS", str(ROUNDS)).format(
            tests=tests, db=str(settings.database.path), ready=str(settings.database.path) + ".ready",
            member=ids[member], staff=ids[staff], n=n)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n, (member, staff) in enumerate([("lina", "zhang"), ("zhouting", "liu")])]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-500:] for _, err in results]
    open_database(settings.database.path)
    assert Contact.select().count() == before + 2 * ROUNDS
    assert Contact.select().where(Contact.note.startswith("session 1 call")).count() == ROUNDS


class OtherSession:
    """Another session's connection, on its own thread, holding the write lock from
    `hold()` until `let_go` is set."""

    def __init__(self, path: Path):
        self.path = path
        self.holding = threading.Event()
        self.let_go = threading.Event()
        self.thread: threading.Thread | None = None

    def hold(self) -> None:
        def run() -> None:
            con = sqlite3.connect(self.path, isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            self.holding.set()
            self.let_go.wait(60)  # a bound only for a broken run: the test lets go itself
            con.execute("COMMIT")
            con.close()

        self.thread = threading.Thread(target=run)
        self.thread.start()
        assert self.holding.wait(60)

    def close(self) -> None:
        self.let_go.set()
        if self.thread is not None:
            self.thread.join()


@pytest.fixture
def other(settings):
    session = OtherSession(settings.database.path)
    yield session
    session.close()


def begins_seen(on_second=None) -> list[str]:
    """Every BEGIN IMMEDIATE this session sends to SQLite (each attempt, not each
    transaction); `on_second` is called when the second attempt is sent."""
    seen: list[str] = []

    def trace(statement: str) -> None:
        if statement.upper().startswith("BEGIN IMMEDIATE"):
            seen.append(statement)
            if len(seen) == 2 and on_second is not None:
                on_second()

    database.connection().set_trace_callback(trace)
    return seen


def a_contact(shop, settings, note: str):
    return log_contact(ContactEntry(shop["lina"], shop["zhang"], "phone", "reached", True, note),
                       settings.callbacks, settings.shop.zone, NOW)


def test_a_write_finding_the_database_busy_tries_again_until_it_is_free(shop, settings, other):
    other.hold()
    # the other session lets go once this one has been refused and has come back
    seen = begins_seen(on_second=other.let_go.set)
    logged = a_contact(shop, settings, "while another session wrote")
    database.connection().set_trace_callback(None)
    assert len(seen) >= 2
    assert Contact.get_by_id(logged.contact_id).note == "while another session wrote"


def test_a_write_gives_up_after_the_bound_and_writes_nothing(shop, settings, other):
    close_database()
    open_database(settings.database.path, busy_timeout_ms=300)
    before = Contact.select().count()
    other.hold()  # and never lets go while this session tries
    seen = begins_seen()
    with pytest.raises(DatabaseUnavailable, match="database is locked"):
        a_contact(shop, settings, "never written")
    database.connection().set_trace_callback(None)
    assert len(seen) >= 2  # it did try again within the bound
    other.close()
    assert Contact.select().count() == before


def test_a_busy_optimize_after_the_daily_run_does_not_fail_the_run(shop, settings, other,
                                                                    monkeypatch):
    """The planner's statistics are kept fresh after the run has committed; another session
    writing at that moment must not turn a saved run into a failed one."""
    tomorrow = TODAY + timedelta(days=1)
    commit = database.commit

    def then_another_session_writes():
        commit()
        if generated_on() == tomorrow and not other.holding.is_set():
            other.hold()  # the run is saved; another session takes the lock at once

    monkeypatch.setattr(database, "commit", then_another_session_writes)
    refresh_shop(tomorrow, settings.callbacks, settings.shop.zone, NOW + timedelta(days=1))
    assert other.holding.is_set()  # the statistics' turn came while another session wrote
    monkeypatch.undo()
    other.close()
    assert generated_on() == tomorrow
