"""Finding a member at the register: phone tail, whole phone, member number, Chinese name
or pinyin. Every branch is an index lookup and only one page of hits comes from SQL.

`shopfloor lookup` and the lookup screen both call `lookup_members`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.db.models import database
from tui.db.privacy import Viewer, mask_phone
from tui.errors import ShopfloorError
from tui.i18n import _

#: hits on one page of the lookup
LOOKUP_PAGE = 20
_TOP = "\U0010ffff"  # sorts after every character: `x <= v < x + _TOP` is "v starts with x"


class QueryError(ShopfloorError, ValueError):
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
    # ASCII digits only: "²" and "٣" are digits to str.isdigit, not to a phone or SQLite
    if re.fullmatch(r"[0-9]{1,18}", query):
        return "digits"
    if re.fullmatch(r"[mM][0-9]{1,18}", query):
        return "member_no"
    if all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in query):
        return "han"
    if re.fullmatch(r"[a-zA-Z]+", query):
        return "latin"
    raise QueryError(_("type the last 4 digits of a phone, a member number, a Chinese name "
                       "or its pinyin (zs or zhangsan)"))


def _member_no(digits: str) -> str:
    return f"M{int(digits):06d}"


def _query(query: str) -> str:
    return re.sub(r"[\s-]", "", query.strip())


def _branches(q: str) -> list[tuple[str, list]]:
    """The indexed SELECTs (id, rank, matched, spend, member_no) that find `q`, one a way."""
    kind = _kind(q)
    branches: list[tuple[str, list]] = []  # (SQL of one indexed branch, its parameters)

    def branch(rank: str, matched: str, where: str, *params: object) -> None:
        # spend and member number ride along from the covering index, for the order
        branches.append((f"SELECT id, {rank} AS rank, '{matched}' AS matched,"
                         f" total_spend_cents AS spend, member_no FROM member WHERE {where}",
                         list(params)))

    if kind == "digits":
        if len(q) == 11:
            branch("0", "phone", "phone = ?", q)
        elif len(q) >= 4:
            branch("0", "phone tail", "phone_tail = ? AND phone LIKE ?", q[-4:], f"%{q}")
        if len(q) <= 6:
            branch("1", "member no", "member_no = ?", _member_no(q))
    elif kind == "member_no":
        branch("0", "member no", "member_no = ?", _member_no(q[1:]))
    elif kind == "han":
        branch("CASE WHEN name = ? THEN 0 ELSE 1 END", "name", "name >= ? AND name < ?",
               q, q, q + _TOP)
    else:
        low = q.lower()
        if len(low) == 1:
            # one letter starts a fifth of all names: no help at the register, and the
            # slowest query there is; the second letter narrows it to a few hundred
            raise QueryError(_("type a second letter: {letter} alone starts thousands of "
                               "names ({letter}s, {letter}h… or the full pinyin)").format(
                                   letter=low))
        branch("CASE WHEN name_initials = ? THEN 0 ELSE 2 END", "initials",
               "name_initials >= ? AND name_initials < ?", low, low, low + _TOP)
        branch("CASE WHEN name_pinyin = ? THEN 0 ELSE 1 END", "pinyin",
               "name_pinyin >= ? AND name_pinyin < ?", low, low, low + _TOP)
    return branches


#: counted no further: "20 shown of over 1,000" says all a cashier needs, and keeps
#: the count of a query such as "zh" to a bounded part of its index range
COUNT_CAP = 1_000


def count_members(query: str, cap: int = COUNT_CAP) -> int:
    """How many members `lookup_members` would find with no page limit, for "20 shown of
    197"; a member found two ways counts once. Counted to cap + 1: more than `cap`."""
    q = _query(query)
    if not q:
        return 0
    branches = _branches(q)
    # each branch cut at cap + 1 first: one past the cap already says "more", and the
    # union then dedupes a few thousand ids at most, not every "zh" of the shop
    union = " UNION ".join(f"SELECT id FROM ({sql} LIMIT ?)" for sql, _ in branches)
    params = [p for _, ps in branches for p in (*ps, cap + 1)]
    return database.execute_sql(f"SELECT COUNT(*) FROM ({union} LIMIT ?)",
                                [*params, cap + 1]).fetchone()[0]


def lookup_members(query: str, limit: int = LOOKUP_PAGE,
                   viewer: Viewer | None = None) -> list[LookupHit]:
    """Members matching what the cashier typed, best first: exact matches, then by spend.
    Any member is found; the phone is as `viewer` may see it (tui.db.privacy; None: whole)."""
    q = _query(query)
    if not q:
        return []
    branches = _branches(q)
    if len(branches) > 1:
        # each branch cut to one page first: a member outside a branch's first page has a
        # page of others ahead of them there, so cannot be on the final page either; "z"
        # then sorts a few thousand index entries per branch instead of grouping them all
        branches = [(f"SELECT * FROM ({sql} ORDER BY rank, spend DESC, member_no LIMIT ?)",
                     [*ps, limit]) for sql, ps in branches]
    union = " UNION ALL ".join(sql for sql, _ in branches)
    params = [p for _, ps in branches for p in ps]
    # Ordered and cut to one page on what the indexes carry (spend, member number); only
    # the page's members are read from the table. A member found two ways (initials and
    # pinyin) is listed once, at its best rank.
    hits = (f"SELECT id, MIN(rank) AS rank, matched, spend, member_no FROM ({union}) GROUP BY id"
            if len(branches) > 1 else union)
    sql = f"""
        SELECT m.id, m.member_no, m.name, m.phone, m.phone_tail, s.name, m.total_spend_cents,
               page.matched, m.owner_id
        FROM (SELECT * FROM ({hits}) ORDER BY rank, spend DESC, member_no LIMIT ?) AS page
        JOIN member m ON m.id = page.id
        LEFT JOIN staff s ON s.id = m.owner_id
        ORDER BY page.rank, page.spend DESC, page.member_no"""
    rows = database.execute_sql(sql, [*params, limit]).fetchall()
    return [LookupHit(*row[:3], row[3] if viewer is None or viewer.sees_in_full(row[8])
                      else mask_phone(row[3]), *row[4:8]) for row in rows]
