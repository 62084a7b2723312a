"""Several SSH sessions write at once: none of them may fail with "database is locked"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fixture_shop import build_fixture_shop
from tui.db.connection import close_database, open_database
from tui.db.models import Contact

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
