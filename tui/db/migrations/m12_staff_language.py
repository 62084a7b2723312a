"""Migration 12: a staff member's own language (issue 13), applied after she signs in;
NULL: the shop's ([shop] language), as everyone had it before this version.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = "staff: each person's own language after sign-in (NULL: the shop's)"

STEPS = (
    "ALTER TABLE staff ADD COLUMN language VARCHAR(8)",
)
