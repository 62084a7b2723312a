"""Numbered schema migrations. The version lives in SQLite's `user_version`.

Each migration is frozen SQL, written once and never edited (with a Python step where
SQL cannot compute a value, such as pinyin): a database made by an older release
replays exactly the steps it missed. Before an existing database is
upgraded, a backup copy is written beside it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from peewee import SqliteDatabase

from tui.db.migration_0009 import STATEMENTS as MIGRATION_9


class SchemaError(Exception):
    """The file cannot be used as a Shopfloor database; str() is the one line to print."""


def fill_name_keys(db: SqliteDatabase) -> int:
    """Store the pinyin keys of every member whose keys are missing; return how many."""
    from tui.db.pinyin import name_keys

    rows = db.execute_sql("SELECT id, name FROM member WHERE name_pinyin = ''").fetchall()
    db.cursor().executemany("UPDATE member SET name_pinyin = ?, name_initials = ? WHERE id = ?",
                            [(*name_keys(name), mid) for mid, name in rows])
    return len(rows)


MIGRATIONS: list[tuple[int, str, tuple]] = [
    (1, "the first schema", (
        """CREATE TABLE staff (
            id INTEGER PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            role VARCHAR(255) NOT NULL DEFAULT 'guide' CHECK (role IN ('guide', 'manager')),
            active INTEGER NOT NULL DEFAULT 1,
            created_at DATETIME NOT NULL)""",
        "CREATE UNIQUE INDEX staff_name ON staff (name)",
        """CREATE TABLE member (
            id INTEGER PRIMARY KEY,
            member_no VARCHAR(255) NOT NULL,
            name VARCHAR(255) NOT NULL,
            gender VARCHAR(255),
            birthday DATE,
            age_approx INTEGER,
            nationality VARCHAR(255),
            phone VARCHAR(255),
            phone_tail VARCHAR(255),
            email VARCHAR(255),
            address VARCHAR(255),
            occupation TEXT,
            family TEXT,
            personality TEXT,
            shopping_habits TEXT,
            style TEXT,
            hobbies TEXT,
            lifestyle TEXT,
            values_ TEXT,
            accepts_promotions INTEGER,
            promotions_set_at DATETIME,
            do_not_contact INTEGER NOT NULL DEFAULT 0,
            do_not_contact_set_at DATETIME,
            owner_id INTEGER REFERENCES staff (id),
            joined_on DATE NOT NULL,
            created_at DATETIME NOT NULL)""",
        "CREATE UNIQUE INDEX member_member_no ON member (member_no)",
        "CREATE UNIQUE INDEX member_phone ON member (phone)",
        "CREATE INDEX member_phone_tail ON member (phone_tail)",
        "CREATE INDEX member_owner_id ON member (owner_id)",
        """CREATE TABLE child (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
            name VARCHAR(255),
            birth_date DATE,
            due_date DATE,
            CHECK (birth_date IS NOT NULL OR due_date IS NOT NULL))""",
        "CREATE INDEX child_member_id ON child (member_id)",
        """CREATE TABLE product (
            id INTEGER PRIMARY KEY,
            sku VARCHAR(255) NOT NULL,
            name VARCHAR(255) NOT NULL,
            brand VARCHAR(255) NOT NULL,
            category VARCHAR(255) NOT NULL,
            unit VARCHAR(255) NOT NULL,
            days_per_unit REAL CHECK (days_per_unit IS NULL OR days_per_unit > 0),
            price_cents INTEGER NOT NULL CHECK (price_cents >= 0))""",
        "CREATE UNIQUE INDEX product_sku ON product (sku)",
        """CREATE TABLE purchase (
            id INTEGER PRIMARY KEY,
            member_id INTEGER REFERENCES member (id),
            staff_id INTEGER REFERENCES staff (id),
            purchased_at DATETIME NOT NULL)""",
        "CREATE INDEX purchase_member_time ON purchase (member_id, purchased_at)",
        """CREATE TABLE purchase_line (
            id INTEGER PRIMARY KEY,
            purchase_id INTEGER NOT NULL REFERENCES purchase (id) ON DELETE CASCADE,
            product_id INTEGER NOT NULL REFERENCES product (id),
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0))""",
        "CREATE INDEX purchase_line_purchase_id ON purchase_line (purchase_id)",
        "CREATE INDEX purchase_line_product_id ON purchase_line (product_id)",
        """CREATE TABLE contact (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member (id),
            staff_id INTEGER NOT NULL REFERENCES staff (id),
            contacted_at DATETIME NOT NULL,
            channel VARCHAR(255) NOT NULL,
            outcome VARCHAR(255) NOT NULL,
            care INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            next_contact_on DATE)""",
        "CREATE INDEX contact_member_time ON contact (member_id, contacted_at)",
        "CREATE INDEX contact_staff_time ON contact (staff_id, contacted_at)",
        """CREATE TABLE callback (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member (id),
            reason VARCHAR(255) NOT NULL,
            source_key VARCHAR(255) NOT NULL,
            due_on DATE NOT NULL,
            status VARCHAR(255) NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'done', 'cancelled', 'missed')),
            owner_id INTEGER REFERENCES staff (id),
            detail TEXT NOT NULL DEFAULT '',
            created_at DATETIME NOT NULL,
            closed_at DATETIME,
            contact_id INTEGER REFERENCES contact (id))""",
        "CREATE UNIQUE INDEX callback_member_reason_key ON callback (member_id, reason, source_key)",
        "CREATE INDEX callback_status_due ON callback (status, due_on)",
        "CREATE INDEX callback_owner_status_due ON callback (owner_id, status, due_on)",
        "CREATE INDEX callback_status_closed ON callback (status, closed_at)",
        """CREATE TABLE meta (
            key VARCHAR(255) NOT NULL PRIMARY KEY,
            value TEXT NOT NULL)""",
    )),
    (2, "member value kept on the member: total spend and last purchase", (
        "ALTER TABLE member ADD COLUMN total_spend_cents INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE member ADD COLUMN last_purchase_at DATETIME",
        """UPDATE member SET
            total_spend_cents = COALESCE((
                SELECT SUM(l.amount_cents) FROM purchase p
                JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.member_id = member.id), 0),
            last_purchase_at = (
                SELECT MAX(p.purchased_at) FROM purchase p WHERE p.member_id = member.id)""",
    )),
    (3, "covering indexes for the queue: one index scan answers a day's queue and its counts", (
        "DROP INDEX callback_status_due",
        "CREATE INDEX callback_open_due ON callback (status, due_on, member_id, reason, owner_id)",
        "DROP INDEX callback_status_closed",
        "CREATE INDEX callback_status_closed ON callback (status, closed_at, member_id, owner_id)",
    )),
    (4, "pinyin keys of every name, and indexes to find a member by name, pinyin or initials", (
        "ALTER TABLE member ADD COLUMN name_pinyin VARCHAR(255) NOT NULL DEFAULT ''",
        "ALTER TABLE member ADD COLUMN name_initials VARCHAR(255) NOT NULL DEFAULT ''",
        "CREATE INDEX member_name ON member (name)",
        "CREATE INDEX member_name_pinyin ON member (name_pinyin)",
        "CREATE INDEX member_name_initials ON member (name_initials)",
        lambda db: fill_name_keys(db),
    )),
    (5, "soft-profile notes: free-text observations, dated and signed", (
        """CREATE TABLE member_note (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
            staff_id INTEGER NOT NULL REFERENCES staff (id),
            written_at DATETIME NOT NULL,
            text TEXT NOT NULL CHECK (length(trim(text)) > 0))""",
        "CREATE INDEX member_note_member_time ON member_note (member_id, written_at)",
    )),
    (6, "covering lookup indexes: a broad query (张, z) is ordered by spend from the index alone", (
        "DROP INDEX member_name",
        "DROP INDEX member_name_pinyin",
        "DROP INDEX member_name_initials",
        "CREATE INDEX member_name ON member (name, total_spend_cents, member_no)",
        "CREATE INDEX member_name_pinyin ON member (name_pinyin, total_spend_cents, member_no)",
        "CREATE INDEX member_name_initials ON member (name_initials, total_spend_cents, member_no)",
    )),
    (7, "the audit log, and the day a member's personal data was erased", (
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            staff_id INTEGER REFERENCES staff (id),
            at DATETIME NOT NULL,
            action VARCHAR(255) NOT NULL,
            subject VARCHAR(255) NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX audit_log_at ON audit_log (at)",
        "CREATE INDEX audit_log_subject ON audit_log (subject, at)",
        "ALTER TABLE member ADD COLUMN erased_at DATETIME",
    )),
    (8, "sign-in: a salted PIN hash per staff member, and the lock after wrong PINs", (
        "ALTER TABLE staff ADD COLUMN pin_hash VARCHAR(255) NOT NULL DEFAULT ''",
        "ALTER TABLE staff ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE staff ADD COLUMN locked_until DATETIME",
    )),
    (9, "leaderboards: archive bits and each contact's next purchase, kept by triggers; "
        "covering indexes for the boards", MIGRATION_9),
    (10, "PDCA plans: cycles, frozen target members, adjustments and spot-checks", (
        """CREATE TABLE plan (
            id INTEGER PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            segment TEXT NOT NULL,
            responsible VARCHAR(255) NOT NULL CHECK (responsible IN ('owner', 'split')),
            split_guides TEXT NOT NULL DEFAULT '',
            target_completion_pct INTEGER NOT NULL
                CHECK (target_completion_pct BETWEEN 0 AND 100),
            target_success_pct INTEGER NOT NULL CHECK (target_success_pct BETWEEN 0 AND 100),
            target_sales_cents INTEGER NOT NULL CHECK (target_sales_cents >= 0),
            methods TEXT NOT NULL DEFAULT '[]',
            created_by_id INTEGER REFERENCES staff (id),
            created_at DATETIME NOT NULL)""",
        "CREATE UNIQUE INDEX plan_name ON plan (name)",
        """CREATE TABLE plan_cycle (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plan (id),
            number INTEGER NOT NULL,
            first_day DATE NOT NULL,
            last_day DATE NOT NULL,
            frozen_on DATE NOT NULL,
            target_completion_pct INTEGER NOT NULL
                CHECK (target_completion_pct BETWEEN 0 AND 100),
            target_success_pct INTEGER NOT NULL CHECK (target_success_pct BETWEEN 0 AND 100),
            target_sales_cents INTEGER NOT NULL CHECK (target_sales_cents >= 0),
            methods TEXT NOT NULL DEFAULT '[]',
            status VARCHAR(255) NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'closed')),
            started_at DATETIME NOT NULL,
            started_by_id INTEGER REFERENCES staff (id),
            closed_at DATETIME,
            closed_by_id INTEGER REFERENCES staff (id),
            final_as_of DATE,
            final TEXT,
            CHECK (last_day >= first_day))""",
        "CREATE UNIQUE INDEX plan_cycle_plan_number ON plan_cycle (plan_id, number)",
        "CREATE INDEX plan_cycle_status ON plan_cycle (status)",
        """CREATE TABLE plan_target (
            cycle_id INTEGER NOT NULL REFERENCES plan_cycle (id),
            member_id INTEGER NOT NULL REFERENCES member (id),
            guide_id INTEGER REFERENCES staff (id),
            frozen_guide_id INTEGER REFERENCES staff (id),
            PRIMARY KEY (cycle_id, member_id)) WITHOUT ROWID""",
        "CREATE INDEX plan_target_member ON plan_target (member_id, cycle_id)",
        """CREATE TABLE plan_adjustment (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plan (id),
            cycle_id INTEGER REFERENCES plan_cycle (id),
            kind VARCHAR(255) NOT NULL CHECK (kind IN ('target', 'method', 'people')),
            subject VARCHAR(255) NOT NULL,
            old TEXT NOT NULL DEFAULT '',
            new TEXT NOT NULL DEFAULT '',
            why TEXT NOT NULL CHECK (length(trim(why)) > 0),
            staff_id INTEGER REFERENCES staff (id),
            at DATETIME NOT NULL)""",
        "CREATE INDEX plan_adjustment_plan ON plan_adjustment (plan_id, at)",
        """CREATE TABLE plan_spot_check (
            id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL REFERENCES plan_cycle (id),
            contact_id INTEGER NOT NULL REFERENCES contact (id),
            seed INTEGER NOT NULL,
            drawn_at DATETIME NOT NULL,
            drawn_by_id INTEGER REFERENCES staff (id),
            verified INTEGER,
            checked_by_id INTEGER REFERENCES staff (id),
            checked_at DATETIME,
            note TEXT NOT NULL DEFAULT '')""",
        "CREATE UNIQUE INDEX plan_spot_check_cycle_contact ON plan_spot_check (cycle_id, contact_id)",
    )),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def _backup(db: SqliteDatabase, path: Path, version: int) -> Path:
    """Copy the whole database (WAL included) beside itself before changing its schema."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    dest = sqlite3.connect(target)
    try:
        db.connection().backup(dest)
    finally:
        dest.close()
    return target


def check_usable(path: Path) -> None:
    """Refuse a file that is not ours before anything (even a pragma) changes it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{path}: cannot open as a database: {exc}") from None
    _refuse_foreign(path, version, tables)


def _refuse_foreign(path: Path, version: int, tables: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"{path}: schema version {version} is newer than this program knows "
            f"({SCHEMA_VERSION}); install the newer Shopfloor")
    if version == 0 and tables:
        raise SchemaError(f"{path}: not a Shopfloor database (it has tables but no schema version)")


def migrate(db: SqliteDatabase, path: Path) -> Path | None:
    """Bring the database up to SCHEMA_VERSION; return the backup made, if any."""
    version = schema_version(db)
    if version == SCHEMA_VERSION:
        return None
    tables = db.execute_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    _refuse_foreign(path, version, tables)
    backup = _backup(db, path, version) if version > 0 else None
    for number, _about, statements in MIGRATIONS:
        # IMMEDIATE: a second session opening at the same moment waits, then sees
        # the new version and skips the step instead of applying it twice.
        with db.atomic("IMMEDIATE"):
            if schema_version(db) >= number:
                continue
            for step in statements:
                # SQL, or a Python step for what SQL cannot compute (pinyin)
                step(db) if callable(step) else db.execute_sql(step)
            db.execute_sql(f"PRAGMA user_version = {number}")
    return backup
