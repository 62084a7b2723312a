"""What an old release left on disk: a version-1 database built by hand from the frozen
SQL of migration 1, so upgrades (on opening, on restoring) are tested on exactly that."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.db.migrations import MIGRATIONS


def make_version_1(path: Path) -> None:
    """What release 1 left: its schema and a little real data."""
    number, _about, statements = MIGRATIONS[0]
    assert number == 1
    con = sqlite3.connect(path)
    for sql in statements:
        con.execute(sql)
    con.execute("PRAGMA user_version = 1")
    created = "2025-12-01 01:00:00"
    con.executemany("INSERT INTO staff (id, name, role, active, created_at) VALUES (?, ?, ?, ?, ?)", [
        (1, "王店长", "manager", 1, created),
        (2, "张丽", "guide", 1, created),
    ])
    con.executemany(
        "INSERT INTO member (id, member_no, name, phone, phone_tail, owner_id, joined_on, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (1, "M000001", "王芳", "13800001234", "1234", 2, "2026-01-10", created),
            (2, "M000002", "李娜", "13900002345", "2345", 2, "2026-01-10", created),
            (3, "M000003", "陈晓燕", "13700003456", "3456", 2, "2026-01-10", created),  # never bought
        ])
    con.executemany(
        "INSERT INTO product (id, sku, name, brand, category, unit, days_per_unit, price_cents)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (1, "FH-3", "飞鹤星飞帆3段", "飞鹤", "formula", "can", 7.5, 35_000),
            (2, "BBS-L", "帮宝适L码", "帮宝适", "diapers", "pack", 10, 12_900),
            (3, "CAR-1", "婴儿推车", "好孩子", "gear", "piece", None, 129_900),
        ])
    con.executemany("INSERT INTO purchase (id, member_id, staff_id, purchased_at) VALUES (?, ?, ?, ?)", [
        (1, 1, 2, "2026-10-05 06:15:00"),  # 王芳's newer sale has the lower id
        (2, 1, 2, "2026-08-30 02:00:00"),
        (3, 2, 2, "2026-11-22 07:00:00"),
        (4, None, 2, "2026-11-23 03:00:00"),  # a walk-in, no member
    ])
    con.executemany(
        "INSERT INTO purchase_line (id, purchase_id, product_id, quantity, amount_cents)"
        " VALUES (?, ?, ?, ?, ?)", [
            (1, 1, 1, 1, 35_000),
            (2, 1, 2, 2, 25_800),
            (3, 2, 1, 12, 420_000),
            (4, 3, 3, 1, 129_900),
            (5, 4, 2, 1, 12_900),
        ])
    con.execute("INSERT INTO contact (id, member_id, staff_id, contacted_at, channel, outcome)"
                " VALUES (1, 1, 2, '2026-10-06 02:00:00', 'phone', 'reached')")
    con.execute("INSERT INTO callback (id, member_id, reason, source_key, due_on, created_at)"
                " VALUES (1, 1, 'follow_up', 'purchase:1', '2026-10-06', '2026-10-05 06:15:00')")
    con.commit()
    con.close()
