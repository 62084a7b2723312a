"""Files only the shop can read: new files are 0600 whatever the umask, an export never
writes over a file or through a symlink, and a database others can read is said once."""

from __future__ import annotations

import os
from datetime import date

import pytest

from tui.db.connection import close_database, open_database
from tui.files import FileError, exposure_warning, first_free, private_folder, write_new
from tui.reports.eod import sheet_file


@pytest.fixture
def open_umask():
    old = os.umask(0)  # the most careless umask there is
    yield
    os.umask(old)


def test_a_new_database_and_its_wal_are_the_owners_alone(tmp_path, open_umask):
    path = tmp_path / "shop.db"
    db = open_database(path)
    db.execute_sql("CREATE TABLE scratch (x)")  # a write: the -wal and -shm exist now
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir() if p.is_file()}
    close_database()
    assert modes == {"shop.db": 0o600, "shop.db-wal": 0o600, "shop.db-shm": 0o600}


def test_write_new_never_writes_over_a_file_or_through_a_link(tmp_path, open_umask):
    secret = tmp_path / "secret.txt"
    secret.write_text("the owner's")
    (tmp_path / "link.txt").symlink_to(secret)
    for name in ("secret.txt", "link.txt"):
        with pytest.raises(FileError) as refused:
            write_new(tmp_path / name, "名单", what="the sheet")
        assert str(refused.value) == (f"{tmp_path / name}: already exists; give a new file "
                                      "name (the sheet is never written over a file)")
    assert secret.read_text() == "the owner's"
    made = write_new(tmp_path / "new.txt", "名单")
    assert made.read_text(encoding="utf-8") == "名单" and made.stat().st_mode & 0o777 == 0o600


def test_a_group_of_the_shop_may_read_and_write(tmp_path, open_umask):
    import grp

    group = grp.getgrgid(os.getgid()).gr_name
    made = write_new(tmp_path / "shared.txt", "x", group)
    assert made.stat().st_mode & 0o777 == 0o660 and made.stat().st_gid == os.getgid()
    with pytest.raises(FileError, match="the group 'no-such-group' named in settings does not exist"):
        write_new(tmp_path / "other.txt", "x", "no-such-group")


def test_the_next_free_name_steps_over_files_and_links(tmp_path):
    (tmp_path / "eod-2026-11-23.txt").write_text("yesterday's try")
    (tmp_path / "eod-2026-11-23-2.txt").symlink_to("/etc/passwd")
    assert first_free(tmp_path, "eod-2026-11-23", ".txt") == tmp_path / "eod-2026-11-23-3.txt"
    assert sheet_file(tmp_path / "shop.db", date(2026, 11, 23)) == tmp_path / "eod-2026-11-23-3.txt"


def test_an_export_folder_others_can_read_or_a_link_is_refused(tmp_path, open_umask):
    assert private_folder(tmp_path / "exports").stat().st_mode & 0o777 == 0o700
    (tmp_path / "open").mkdir(mode=0o755)
    with pytest.raises(FileError, match="others can read this folder; chmod 700"):
        private_folder(tmp_path / "open")
    (tmp_path / "elsewhere").symlink_to(tmp_path / "exports")
    with pytest.raises(FileError, match="not a folder of its own"):
        private_folder(tmp_path / "elsewhere")


def test_a_database_others_can_read_is_said_once(tmp_path):
    path = tmp_path / "shop.db"
    open_database(path).execute_sql("CREATE TABLE scratch (x)")
    close_database()
    assert exposure_warning(path) is None
    path.chmod(0o644)
    assert exposure_warning(path) == (
        "shop.db (-rw-r--r--) can be read by other users of this computer; "
        f"chmod 600 {path}*")
    assert exposure_warning(path) is None  # once
    other = tmp_path / "group.db"
    other.write_bytes(b"")
    other.chmod(0o660)
    assert exposure_warning(other, "shop") is None  # the shop's group may


def test_a_full_disk_is_said_and_not_hidden_by_the_rollback(db, shop):
    """SQLite rolls a transaction back itself when the disk is full (here: the file may
    not grow); the error must say so, not "cannot rollback - no transaction is active"."""
    from peewee import OperationalError

    from tui.db.models import MemberNote, database
    from tui.errors import fault_words

    before = MemberNote.select().count()
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(OperationalError) as failed:
        with database.atomic("IMMEDIATE"):
            for _ in range(500):
                db.execute_sql("INSERT INTO member_note (member_id, staff_id, written_at, text) "
                               "VALUES (?, ?, '2026-11-23 03:30:00', ?)",
                               (shop["wangfang"], shop["zhang"], "满" * 1000))
    assert str(failed.value) == "database or disk is full"
    assert MemberNote.select().count() == before  # all or nothing
    assert fault_words(failed.value, "Not saved").startswith(
        "Not saved: the disk is full; nothing was saved. Free some space and try again")
