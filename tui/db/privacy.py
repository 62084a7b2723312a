"""Who sees which member's details, the one rule for the card, the lookup and the queue.

A manager sees everything. A guide sees their own members in full, and every member when
the shop says so (`[staff] guides_see_whole_shop = true`). Otherwise another guide's
member (or one nobody owns yet) is still found at the register, by name, number or phone
tail, but shows a masked phone (138****5678) and no e-mail, address or birthday: what
reaches or places the person outside the shop. Name, member number, what they bought,
the children's ages, notes and the tracking log stay, since serving the member at the
till needs them. A queue line whose call is the guide's to make is theirs in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.db.audit import PermissionDenied, acting_staff
from tui.settings import StaffSettings

#: the archive fields another guide's member shows masked (phone) or not at all
MASKED_FIELDS = ("phone", "birthday", "email", "address")


@dataclass(frozen=True)
class Viewer:
    """The person looking, as the rule needs them."""

    staff_id: int
    manager: bool
    whole_shop: bool  #: `[staff] guides_see_whole_shop`

    def sees_in_full(self, owner_id: int | None) -> bool:
        """Does this person see every detail of a member owned by `owner_id`?"""
        return self.manager or self.whole_shop or (owner_id is not None
                                                   and owner_id == self.staff_id)


def viewer_for(staff_id: int, role: str, rules: StaffSettings) -> Viewer:
    """The viewer of a signed-in person whose role is known (the app has it)."""
    return Viewer(staff_id, role == "manager", rules.guides_see_whole_shop)


def viewer(staff_id: int, rules: StaffSettings) -> Viewer:
    """The viewer of an active staff member, or PermissionDenied."""
    staff = acting_staff(staff_id)
    return viewer_for(staff.id, staff.role, rules)


def mask_phone(phone: str | None) -> str | None:
    """138****5678: the network prefix and the tail the register types, no more."""
    if not phone:
        return phone
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3] if len(phone) >= 11 else ''}****{phone[-4:]}"


#: why a guide may not see another's queue or the whole shop's (the queue screen says it too)
QUEUE_REFUSAL = ("guides see their own queue; a manager can allow the whole shop in settings "
                 "([staff] guides_see_whole_shop)")


def queue_scope(viewer: Viewer, guide_id: int | None, whole_shop: bool) -> int | None:
    """Whose queue `viewer` reads (None: the whole shop's), as the queue screen allows: a
    manager the whole shop unless a guide is asked for; a guide her own, another's or the
    whole shop's only when the shop allows; else PermissionDenied."""
    if viewer.manager:
        return guide_id
    if guide_id is None and not whole_shop:
        return viewer.staff_id
    if (whole_shop or guide_id != viewer.staff_id) and not viewer.whole_shop:
        raise PermissionDenied(QUEUE_REFUSAL, viewer.staff_id)
    return guide_id
