"""The members and guides the assignment tests add to the fixture shop.

The fixture shop (tests/fixture_shop.py) on 2026-11-23, with its open callbacks:
  张丽 owns 王芳 (running out, dormant 28 Nov), 李娜 (follow-up), 孙丽丽 (dormant 20 Dec,
       a call back she booked herself), 吴静, 郑雪: 5 members, 5 open callbacks;
  刘芳 owns 陈晓燕 (running out, birthday), 赵敏 (dormant), 周婷 (dormant 19 Dec, the
       complaint's feedback call she booked), 黄小梅 (running out, child's birthday):
       4 members, 7 open callbacks."""

from __future__ import annotations

from datetime import date

from fixture_shop import NOW, TODAY
from tui.db.models import Callback, Member, Staff


def add_guide(name: str, active: bool = True) -> int:
    return Staff.create(name=name, role="guide", active=active, created_at=NOW).id


def add_member(no: int, name: str, owner: int | None = None, callbacks: int = 0,
               callback_owner: int | None = None, **fields) -> int:
    """A member with `callbacks` open campaign callbacks (the rules leave those alone)."""
    m = Member.create(member_no=f"M{no:06d}", name=name, owner=owner, joined_on=date(2026, 1, 10),
                      created_at=NOW, **fields)
    for i in range(callbacks):
        Callback.create(member=m.id, reason="campaign", source_key=f"test:{i}", due_on=TODAY,
                        owner=callback_owner if callback_owner is not None else owner,
                        created_at=NOW)
    return m.id


def owners(*member_ids: int) -> list[int | None]:
    return [Member.get_by_id(i).owner_id for i in member_ids]
