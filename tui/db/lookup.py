"""Finding a member at the register: phone tail, whole phone, member number, Chinese name
or pinyin. Every branch is an index lookup and only one page of hits comes from SQL.

`shopfloor lookup` and the lookup screen both call `lookup_members`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.db.models import database

#: hits on one page of the lookup
LOOKUP_PAGE = 20
_TOP = "\U0010ffff"  # sorts after every character: `x <= v < x + _TOP` is "v starts with x"


class QueryError(ValueError):
    """A query that cannot find anyone as typed; str() says what to type instead."""


@dataclass(frozen=True)
class LookupHit:
    member_id: int
    member_no: str
    name: str
    phone: str | None
    phone_tail: str | None
    owner: str | None
    total_spend_cents: int
    matched: str  #: how it matched: phone, phone tail, member no, name, pinyin, initials


def _kind(query: str) -> str:
    if query.isdigit():
        return "digits"
    if re.fullmatch(r"[mM]\d+", query):
        return "member_no"
    if all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in query):
        return "han"
    if re.fullmatch(r"[a-zA-Z]+", query):
        return "latin"
    raise QueryError("type the last 4 digits of a phone, a member number, a Chinese name "
                     "or its pinyin (zs or zhangsan)")


def _member_no(digits: str) -> str:
    return f"M{int(digits):06d}"


def lookup_members(query: str, limit: int = LOOKUP_PAGE) -> list[LookupHit]:
    """Members matching what the cashier typed, best first: exact matches, then by spend."""
    q = re.sub(r"[\s-]", "", query.strip())
    if not q:
        return []
    kind = _kind(q)
    branches: list[tuple[str, list]] = []  # (SQL of one indexed branch, its parameters)
    if kind == "digits":
        if len(q) == 11:
            branches.append(("SELECT id, 0 AS rank, 'phone' AS matched FROM member WHERE phone = ?",
                             [q]))
        elif len(q) >= 4:
            branches.append(("SELECT id, 0 AS rank, 'phone tail' AS matched FROM member"
                             " WHERE phone_tail = ? AND phone LIKE ?", [q[-4:], f"%{q}"]))
        if len(q) <= 6:
            branches.append(("SELECT id, 1 AS rank, 'member no' AS matched FROM member WHERE member_no = ?",
                             [_member_no(q)]))
    elif kind == "member_no":
        branches.append(("SELECT id, 0 AS rank, 'member no' AS matched FROM member WHERE member_no = ?",
                         [_member_no(q[1:])]))
    elif kind == "han":
        branches.append(("SELECT id, CASE WHEN name = ? THEN 0 ELSE 1 END AS rank, 'name' AS matched FROM member"
                         " WHERE name >= ? AND name < ?", [q, q, q + _TOP]))
    else:
        low = q.lower()
        branches.append(("SELECT id, CASE WHEN name_initials = ? THEN 0 ELSE 2 END AS rank, 'initials' AS matched"
                         " FROM member WHERE name_initials >= ? AND name_initials < ?",
                         [low, low, low + _TOP]))
        branches.append(("SELECT id, CASE WHEN name_pinyin = ? THEN 0 ELSE 1 END AS rank, 'pinyin' AS matched"
                         " FROM member WHERE name_pinyin >= ? AND name_pinyin < ?",
                         [low, low, low + _TOP]))
    union = " UNION ALL ".join(sql for sql, _ in branches)
    params = [p for _, ps in branches for p in ps]
    # a member found two ways (initials and pinyin) is listed once, at its best rank
    sql = f"""
        SELECT m.id, m.member_no, m.name, m.phone, m.phone_tail, s.name, m.total_spend_cents,
               hits.matched
        FROM (SELECT id, MIN(rank) AS rank, matched FROM ({union}) GROUP BY id) AS hits
        JOIN member m ON m.id = hits.id
        LEFT JOIN staff s ON s.id = m.owner_id
        ORDER BY hits.rank, m.total_spend_cents DESC, m.member_no
        LIMIT ?"""
    rows = database.execute_sql(sql, [*params, limit]).fetchall()
    return [LookupHit(*row) for row in rows]
