"""Opening and upgrading the database file: migrations, backups, refusals and pragmas.

A version-1 database is built by hand from the frozen SQL of migration 1, so the
upgrade is tested on exactly what an old release left on disk.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from old_shop import make_version_1
from tui.db.connection import close_database, open_database
from tui.db.migrations import SCHEMA_VERSION, SchemaError
from tui.db.models import MODELS, Member


@pytest.fixture(autouse=True)
def _close_after():
    yield
    close_database()


def user_version(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


# --- upgrading an old database ------------------------------------------------------------------

def test_version_1_database_is_upgraded_and_backfilled(tmp_path):
    path = tmp_path / "shop.db"
    make_version_1(path)
    db = open_database(path)
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
    # 王芳: 35 000 + 25 800 (sale 1) + 420 000 (sale 2) = 480 800; newest sale 5 Oct
    wang = Member.get_by_id(1)
    assert (wang.total_spend_cents, wang.last_purchase_at) == (480_800, datetime(2026, 10, 5, 6, 15))
    li = Member.get_by_id(2)
    assert (li.total_spend_cents, li.last_purchase_at) == (129_900, datetime(2026, 11, 22, 7, 0))
    # never bought: 0 and NULL (the walk-in's 12 900 belongs to nobody)
    chen = Member.get_by_id(3)
    assert (chen.total_spend_cents, chen.last_purchase_at) == (0, None)
    counts = [db.execute_sql(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("staff", "member", "product", "purchase", "purchase_line", "contact",
                        "callback")]
    assert counts == [2, 3, 3, 4, 5, 1, 1]


def test_upgrade_leaves_a_version_1_backup_beside_the_file(tmp_path):
    path = tmp_path / "shop.db"
    make_version_1(path)
    open_database(path)
    close_database()
    backups = sorted(tmp_path.glob("shop.db.v1-*.bak"))
    assert len(backups) == 1
    assert re.fullmatch(r"shop\.db\.v1-\d{14}\.bak", backups[0].name)  # YYYYmmddHHMMSS
    assert user_version(backups[0]) == 1
    con = sqlite3.connect(backups[0])
    try:
        columns = [r[1] for r in con.execute("PRAGMA table_info(member)")]
        assert "total_spend_cents" not in columns and "last_purchase_at" not in columns
        assert con.execute("SELECT name FROM member ORDER BY id").fetchall() == [
            ("王芳",), ("李娜",), ("陈晓燕",)]
        # 35 000 + 25 800 + 420 000 + 129 900 + 12 900 = 623 600
        assert con.execute("SELECT sum(amount_cents) FROM purchase_line").fetchone()[0] == 623_600
    finally:
        con.close()


def test_opening_an_up_to_date_database_makes_no_backup(tmp_path):
    path = tmp_path / "shop.db"
    make_version_1(path)
    open_database(path)
    close_database()
    open_database(path)  # second time: already up to date
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_a_fresh_database_gets_the_schema_and_no_backup(tmp_path):
    path = tmp_path / "fresh.db"
    open_database(path)
    close_database()
    assert user_version(path) == SCHEMA_VERSION
    assert list(tmp_path.glob("*.bak")) == []


# --- refusing files that are not ours ---------------------------------------------------------------

def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "shop.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE member (id INTEGER PRIMARY KEY)")
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    with pytest.raises(SchemaError) as caught:
        open_database(path)
    assert str(caught.value) == (f"{path}: schema version 99 is newer than this program knows "
                                 f"({SCHEMA_VERSION}); install the newer Shopfloor")
    assert "newer" in str(caught.value)
    assert user_version(path) == 99
    assert list(tmp_path.glob("*.bak")) == []


def unrelated_database(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('盘点 周五')")
    con.commit()
    con.close()


def test_a_database_of_another_program_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    unrelated_database(path)
    with pytest.raises(SchemaError) as caught:
        open_database(path)
    assert str(caught.value) == f"{path}: not a Shopfloor database (it has tables but no schema version)"
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() \
            == [("notes",)]
        assert con.execute("SELECT body FROM notes").fetchall() == [("盘点 周五",)]
        assert con.execute("PRAGMA user_version").fetchone()[0] == 0
    finally:
        con.close()


def test_a_refused_database_keeps_its_journal_mode(tmp_path):
    path = tmp_path / "other.db"
    unrelated_database(path)
    with pytest.raises(SchemaError):
        open_database(path)
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # sqlite's default
    finally:
        con.close()


def test_a_text_file_is_refused(tmp_path):
    path = tmp_path / "members.csv"
    text = "name,phone\n王芳,13800001234\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        open_database(path)
    assert str(caught.value) == f"{path}: cannot open as a database: file is not a database"
    assert path.read_text(encoding="utf-8") == text


def test_a_missing_folder_is_refused(tmp_path):
    path = tmp_path / "nowhere" / "shop.db"
    with pytest.raises(SchemaError) as caught:
        open_database(path)
    assert str(caught.value) == f"{path}: folder {tmp_path / 'nowhere'} does not exist"
    assert not (tmp_path / "nowhere").exists()


# --- the models describe the migrated schema ------------------------------------------------------

@pytest.mark.parametrize("start", ["fresh", "from version 1"])
def test_every_model_has_exactly_the_columns_of_its_table(tmp_path, start):
    path = tmp_path / "shop.db"
    if start == "from version 1":
        make_version_1(path)
    db = open_database(path)
    tables = {r[0] for r in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    assert tables == {m._meta.table_name for m in MODELS}
    for model in MODELS:
        info = db.execute_sql(f"PRAGMA table_info({model._meta.table_name})").fetchall()
        table_columns = sorted(r[1] for r in info)
        model_columns = sorted(f.column_name for f in model._meta.sorted_fields)
        assert table_columns == model_columns, model.__name__
        # NOT NULL in the table exactly where the model refuses None (primary keys aside)
        notnull = {r[1]: bool(r[3]) for r in info}
        for f in model._meta.sorted_fields:
            if not f.primary_key:
                assert notnull[f.column_name] == (not f.null), f"{model.__name__}.{f.name}"


def test_member_gains_the_version_2_4_7_and_9_columns(db):
    columns = [r[1] for r in db.execute_sql("PRAGMA table_info(member)")]
    at = columns.index("total_spend_cents")
    assert columns[at:at + 6] == ["total_spend_cents", "last_purchase_at", "name_pinyin",
                                  "name_initials", "erased_at", "archive_bits"]
    assert columns[-2:] == ["pos_card_no", "import_batch_id"]  # version 14


# --- pragmas ---------------------------------------------------------------------------------------

def pragma(db, name: str):
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_pragmas_are_in_force(db):
    # the conftest `db` opens with settings.toml's busy_timeout_ms = 5000
    assert pragma(db, "journal_mode") == "wal"
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "synchronous") == 1  # NORMAL
    assert pragma(db, "busy_timeout") == 5000


def test_busy_timeout_is_the_one_asked_for(tmp_path):
    db = open_database(tmp_path / "shop.db", busy_timeout_ms=2500)
    assert pragma(db, "busy_timeout") == 2500


def test_pragmas_are_in_force_after_an_upgrade(tmp_path):
    path = tmp_path / "shop.db"
    make_version_1(path)  # made in sqlite's default rollback journal
    db = open_database(path, busy_timeout_ms=1500)
    assert (pragma(db, "journal_mode"), pragma(db, "foreign_keys"), pragma(db, "synchronous"),
            pragma(db, "busy_timeout")) == ("wal", 1, 1, 1500)
