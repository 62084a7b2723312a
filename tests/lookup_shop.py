"""Eight members for the lookup, each name chosen for a way of finding it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tui.db.models import Member, Staff


NOW = datetime(2026, 11, 23, 3, 30)


@pytest.fixture
def members(db):
    guide = Staff.create(name="张丽", role="guide", created_at=NOW)
    rows = [  # no, name, phone, spend (yuan)
        (1, "张三", "13812345678", 500), (2, "张珊", "13900005678", 900),
        (3, "赵四", "13700001111", 100), (4, "曾雨", "13600002222", 300),
        (5, "单萍岚", "13500003333", 200), (6, "王芳", "13300004444", 50),
        (7, "王芳芳", "13300014444", 800), (8, "李娜", "18612345678", 0),
    ]
    for no, name, phone, spend in rows:
        Member.create(member_no=f"M{no:06d}", name=name, phone=phone, phone_tail=phone[-4:],
                      owner=guide, joined_on=date(2026, 1, 1), created_at=NOW,
                      total_spend_cents=spend * 100)
