"""Assigning members to guides: the even split of a segment, one member to one guide, and
the hand-over of a leaving guide's members and calls. A manager's work, refused to anyone
else here; every change is one IMMEDIATE transaction with its line in the audit log.

The even split is previewed first (`plan_even_split`, nothing written) and applied from
the preview (`apply_split`); a preview another session has overtaken is refused, never
applied. The balancing rule is in `balance` and in docs/assignment.md.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from tui.db.audit import require_manager
from tui.db.members.segments import Segment, check_segment, segment_sql
from tui.db.models import Staff, database
from tui.db.staff import active_guides
from tui.errors import ShopfloorError
from tui.i18n import N_, _, ngettext
from tui.settings import Settings

#: what require_manager names when it refuses
DOING = N_("assign members")
#: the staff roles, as a refusal names them
ROLE_WORDS = {"guide": N_("guide"), "manager": N_("manager")}
#: calls a person booked ("call back Thursday", a complaint's feedback call): the promise is
#: the booker's, so it stays with them while they are active, whoever owns the member
BOOKED_REASONS = ("scheduled", "complaint")


class AssignError(ShopfloorError, ValueError):
    """An assignment that cannot be done as asked; str() is the one line to show."""


class StalePlan(AssignError):
    """Another session changed an owner after the preview: preview again."""


@dataclass(frozen=True)
class GuideLoad:
    """One guide's line of a preview: members and open callbacks now, in, out, after."""

    guide_id: int
    name: str
    members_now: int  #: members the guide owns now (erased ones left out)
    callbacks_now: int  #: open callbacks the guide owns now
    members_in: int = 0
    members_out: int = 0
    callbacks_in: int = 0
    callbacks_out: int = 0
    leaving: bool = False  #: the guide whose members are handed over

    @property
    def members_after(self) -> int:
        return self.members_now + self.members_in - self.members_out

    @property
    def callbacks_after(self) -> int:
        return self.callbacks_now + self.callbacks_in - self.callbacks_out


@dataclass(frozen=True)
class Move:
    member_id: int
    from_owner: int | None  #: the owner at the preview; the apply checks it is still so
    to_guide: int


@dataclass(frozen=True)
class SplitPlan:
    """A preview: who gets which members; nothing is written until it is applied."""

    kind: str  #: "split" or "handover"
    title: str  #: "unassigned", "张丽's members"
    subject: str  #: for the audit log: the segment's text, or the leaving guide's name
    day: date
    moves: tuple[Move, ...]  #: every member of the set, including those who stay put
    guides: tuple[GuideLoad, ...]  #: the leaving guide first (hand-over), then the receivers
    callbacks_moving: int  #: open callbacks that change owner
    from_counts: tuple[tuple[str, int], ...] = ()  #: set members by owner now ("unassigned")
    from_guide_id: int | None = None  #: hand-over: the leaving guide
    #: hand-over: (callback id, guide) for the leaver's calls booked on others' members
    booked_moves: tuple[tuple[int, int], ...] = ()
    receivers: tuple[int, ...] = field(default=())  #: the guides the set is split among

    @property
    def members(self) -> int:
        return len(self.moves)

    @property
    def members_moving(self) -> int:
        return sum(1 for m in self.moves if m.from_owner != m.to_guide)


@dataclass(frozen=True)
class AssignResult:
    members: int  #: members whose owner changed
    callbacks: int  #: open callbacks whose owner changed
    per_guide: tuple[tuple[str, int, int], ...]  #: (guide, members received, callbacks received)
    audit_id: int | None = None
    deactivated: str | None = None  #: the leaving guide, when deactivated

    @property
    def words(self) -> str:
        """'3 members and 4 open callbacks moved: 张丽 +2 members +3 callbacks, …'."""
        shares = ", ".join(f"{name} +{counted(m, 'member')} +{counted(c, 'callback')}"
                           for name, m, c in self.per_guide if m or c)
        out = _("{members} and {callbacks} moved").format(
            members=counted(self.members, "member"),
            callbacks=counted(self.callbacks, "open callback"))
        out += f": {shares}" if shares else ""
        return out + (_("; {guide} deactivated").format(guide=self.deactivated)
                      if self.deactivated else "")


def counted(n: int, word: str) -> str:
    """'1 member', '3 members' (1 位会员, 3 位会员), in the language spoken now."""
    forms = {"member": ngettext("{n} member", "{n} members", n),
             "guide": ngettext("{n} guide", "{n} guides", n),
             "callback": ngettext("{n} callback", "{n} callbacks", n),
             "open callback": ngettext("{n} open callback", "{n} open callbacks", n)}
    if word in forms:
        return forms[word].format(n=n)
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- who may receive -----------------------------------------------------------------------


def may_assign(staff_id: int) -> Staff:
    """The manager at the keyboard, or PermissionDenied: screens ask before they preview."""
    return require_manager(staff_id, DOING)


def check_receiver(staff_id: int) -> Staff:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        raise AssignError(_("staff {id} is not on file").format(id=staff_id))
    if staff.role != "guide":
        raise AssignError(_("{name} is a {role}, not a guide; members go to guides").format(
            name=staff.name, role=_(ROLE_WORDS.get(staff.role, staff.role))))
    if not staff.active:
        raise AssignError(_("{name} is not active; reactivate them or choose another guide")
                          .format(name=staff.name))
    return staff


def keeping_staff(leaving: int | None = None) -> list[int]:
    """Active staff whose booked calls stay with them."""
    return [s.id for s in Staff.select(Staff.id).where(Staff.active == True)  # noqa: E712
            if s.id != leaving]


def sql_ids(ids: list[int]) -> str:
    return "(" + ",".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def movable_sql(keepers: list[int], alias: str = "c.") -> str:
    """SQL: an open callback that follows its member to a new owner (all but the calls an
    active person booked)."""
    booked = ", ".join(f"'{r}'" for r in BOOKED_REASONS)
    return (f"{alias}status = 'open' AND NOT ({alias}reason IN ({booked})"
            f" AND COALESCE({alias}owner_id, 0) IN {sql_ids(keepers)})")


# -- the balancing rule --------------------------------------------------------------------


def balance(base_members: list[int], base_callbacks: list[int],
            items: list[tuple[int, int, int | None]],
            owners: list[int]) -> dict[int, int]:
    """Which guide gets which member: {member id: index of the guide}.

    `base_members[g]`, `base_callbacks[g]`: guide g's load without the set (the set's
    members and the callbacks moving with them taken out). `items`: (member id, open
    callbacks moving with the member, owner now). `owners[g]`: guide g's staff id.

    1. Member counts first: each member of the set, one at a time, raises the count of the
       guide with the fewest members (base + received); ties go to the fewer open
       callbacks, then to the guide on file longest. So the counts after differ by at
       most one, except that a guide already above that level receives nobody.
    2. Then callbacks: the members with the most open callbacks are placed first, each
       with the guide who has the fewest open callbacks so far among those whose count
       from step 1 is not yet full; ties go to the member's current owner (nobody moves
       without need), then to the guide on file longest. Members without callbacks fill
       what is left, staying with their owner where there is room.
    """
    n = len(base_members)
    quota = [0] * n
    heap = [(base_members[g], base_callbacks[g], g) for g in range(n)]
    heapq.heapify(heap)
    for _item in items:
        count, calls, g = heapq.heappop(heap)
        quota[g] += 1
        heapq.heappush(heap, (count + 1, calls, g))
    index_of = {owner: g for g, owner in enumerate(owners)}
    load = list(base_callbacks)
    placed: dict[int, int] = {}
    # a heap of (callbacks so far, guide) over the guides with room; `live` marks each
    # guide's one current entry, so an entry left behind by a change is skipped
    live = {g: (load[g], g) for g in range(n) if quota[g]}
    heap = list(live.values())
    heapq.heapify(heap)
    busy = sorted((it for it in items if it[1] > 0), key=lambda it: (-it[1], it[0]))
    for member_id, calls, owner in busy:
        while live.get(heap[0][1]) != heap[0]:
            heapq.heappop(heap)
        least, g = heap[0]
        mine = index_of.get(owner, -1)
        if mine in live and load[mine] == least:
            g = mine  # as few callbacks as the least loaded: the member stays put
        quota[g] -= 1
        load[g] += calls
        placed[member_id] = g
        if quota[g]:
            live[g] = (load[g], g)
            heapq.heappush(heap, live[g])
        else:
            del live[g]
    idle = [it for it in items if it[1] == 0]
    rest = []
    for member_id, _now, owner in idle:  # stay where there is room
        g = index_of.get(owner, -1)
        if g >= 0 and quota[g]:
            quota[g] -= 1
            placed[member_id] = g
        else:
            rest.append(member_id)
    g = 0
    for member_id in rest:
        while not quota[g]:
            g += 1
        quota[g] -= 1
        placed[member_id] = g
    return placed


# -- previews ------------------------------------------------------------------------------


def _loads(guide_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    members = dict(database.execute_sql(
        f"SELECT owner_id, count(*) FROM member WHERE owner_id IN {sql_ids(guide_ids)}"
        " AND erased_at IS NULL GROUP BY owner_id").fetchall())
    calls = dict(database.execute_sql(
        f"SELECT owner_id, count(*) FROM callback WHERE status = 'open'"
        f" AND owner_id IN {sql_ids(guide_ids)} GROUP BY owner_id").fetchall())
    return members, calls


def _plan(kind: str, title: str, subject: str, day: date, set_sql: str, args: tuple,
          receivers: list[Staff], keepers: list[int], leaving: Staff | None = None) -> SplitPlan:
    """The preview shared by the split and the hand-over, read in one snapshot."""
    with database.atomic():
        # the set's members with their owner now
        owner_of: dict[int, int | None] = dict(database.execute_sql(
            set_sql.replace("SELECT m.id ", "SELECT m.id, m.owner_id ", 1) + " ORDER BY m.id",
            args).fetchall())
        # callbacks moving with each member: [(owner now, how many)]
        moving: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
        for mid, owner, count in database.execute_sql(
                f"SELECT c.member_id, c.owner_id, count(*) FROM callback c"
                f" WHERE {movable_sql(keepers)} AND c.member_id IN ({set_sql})"
                f" GROUP BY c.member_id, c.owner_id", args):
            moving[mid].append((owner, count))
        shown = ([leaving] if leaving else []) + receivers
        members_now, calls_now = _loads([s.id for s in shown])
        booked = []
        if leaving is not None:
            booked = database.execute_sql(
                f"SELECT c.id, m.owner_id FROM callback c JOIN member m ON m.id = c.member_id"
                f" WHERE c.status = 'open' AND c.owner_id = ? AND c.member_id NOT IN ({set_sql})"
                f" ORDER BY c.id", (leaving.id, *args)).fetchall()
        names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}

    ids = [s.id for s in receivers]
    index = {g: i for i, g in enumerate(ids)}
    base_members = [members_now.get(g, 0) for g in ids]
    base_calls = [calls_now.get(g, 0) for g in ids]
    items = []
    for mid, owner in owner_of.items():
        if owner in index:
            base_members[index[owner]] -= 1
        total = 0
        for holder, count in moving.get(mid, ()):
            if holder in index:
                base_calls[index[holder]] -= count
            total += count
        items.append((mid, total, owner))
    placed = balance(base_members, base_calls, items, ids)

    m_in, m_out, c_in, c_out = Counter(), Counter(), Counter(), Counter()
    moves, callbacks_moving = [], 0
    for mid, owner in owner_of.items():
        to = ids[placed[mid]]
        moves.append(Move(mid, owner, to))
        if owner != to:
            m_in[to] += 1
            m_out[owner] += 1
        for holder, count in moving.get(mid, ()):
            if holder != to:
                c_in[to] += count
                c_out[holder] += count
                callbacks_moving += count
    # the leaver's calls booked on other guides' members: to the member's owner when
    # active, else to the receiver with the fewest open callbacks after the split
    booked_moves = []
    active = set(keepers)
    after = {g: calls_now.get(g, 0) + c_in[g] - c_out[g] for g in ids}
    for callback_id, owner in booked:
        to = owner if owner in active else min(ids, key=lambda g: (after[g], index[g]))
        if to in after:
            after[to] += 1
        booked_moves.append((callback_id, to))
        c_in[to] += 1
        c_out[leaving.id] += 1
        callbacks_moving += 1

    loads = tuple(GuideLoad(s.id, s.name, members_now.get(s.id, 0), calls_now.get(s.id, 0),
                            m_in[s.id], m_out[s.id], c_in[s.id], c_out[s.id],
                            leaving=leaving is not None and s.id == leaving.id)
                  for s in shown)
    sources = Counter(owner_of.values())
    from_counts = tuple((names.get(o, "?") if o is not None else "unassigned", n)
                        for o, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0] or 0)))
    return SplitPlan(kind, title, subject, day, tuple(moves), loads, callbacks_moving,
                     from_counts, leaving.id if leaving else None, tuple(booked_moves),
                     tuple(ids))


def plan_even_split(segment: Segment, settings: Settings, today: date) -> SplitPlan:
    """The preview of splitting the segment's members evenly across the active guides;
    nothing is written. AssignError (or SegmentError) with one line when it cannot be."""
    check_segment(segment, settings)
    guides = active_guides()
    if not guides:
        raise AssignError(_("no active guide to split among; add a guide or reactivate one first"))
    sql, args = segment_sql(segment, settings, today)
    return _plan("split", segment.words, segment.text, today, sql, args, guides, keeping_staff())


def plan_hand_over(from_guide_id: int, to_guide_ids: list[int] | None, today: date) -> SplitPlan:
    """The preview of handing over every member and open callback of a leaving guide (who
    may already be inactive): to the guides named, or evenly across the other active ones."""
    leaving = Staff.get_or_none(Staff.id == from_guide_id)
    if leaving is None:
        raise AssignError(_("staff {id} is not on file").format(id=from_guide_id))
    if to_guide_ids:
        if from_guide_id in to_guide_ids:
            raise AssignError(_("{name} is the one leaving; hand over to others").format(
                name=leaving.name))
        receivers = [check_receiver(g) for g in dict.fromkeys(to_guide_ids)]
    else:
        receivers = [g for g in active_guides() if g.id != from_guide_id]
        if not receivers:
            raise AssignError(_("no other active guide to take over {name}'s members; add a "
                                "guide first").format(name=leaving.name))
    sql = "SELECT m.id FROM member m WHERE m.erased_at IS NULL AND m.owner_id = ?"
    return _plan("handover", _("{name}'s members").format(name=leaving.name), leaving.name, today, sql,
                 (from_guide_id,), receivers, keeping_staff(from_guide_id), leaving)


# -- applying ------------------------------------------------------------------------------


