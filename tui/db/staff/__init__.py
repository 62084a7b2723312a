"""The shop's people: signing in with a PIN, the staff list, who is an active guide."""

from tui.db.staff.pins import (SignInError, StaffError, check_pin, first_pin_refusal, hash_pin,
                               pin_matches, reset_pin, set_pin_at_the_computer, sign_in)
from tui.db.staff.roster import (ROLES, AuditLine, Guide, StaffLine, active_guides, active_staff,
                                 add_first_manager, add_staff, shop_is_empty, audit_entries, guides, set_active, set_language,
                                 role_words, staff_by_id,
                                 staff_list, staff_named)

__all__ = ["ROLES", "AuditLine", "Guide", "SignInError", "StaffError", "StaffLine",
           "active_guides", "active_staff", "add_first_manager", "add_staff", "shop_is_empty", "audit_entries", "check_pin",
           "first_pin_refusal", "hash_pin",
           "guides", "pin_matches", "staff_by_id", "reset_pin", "role_words", "set_active", "set_language", "set_pin_at_the_computer", "sign_in",
           "staff_list", "staff_named"]
