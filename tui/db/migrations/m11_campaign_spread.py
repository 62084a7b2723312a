"""Migration 11: each PDCA target's campaign call has its own day, spread over the period
by the guides' daily capacity (tui/db/pdca/spread.py); NULL: from the period's first day,
as cycles started before this version had it.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = "PDCA targets: the day each campaign call falls due, spread over the period"

STEPS = (
    "ALTER TABLE plan_target ADD COLUMN call_on DATE",
)
