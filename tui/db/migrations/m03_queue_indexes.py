"""Migration 3: covering indexes for the queue: one index scan answers a day's queue and its
counts.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = ('covering indexes for the queue: one index'
         " scan answers a day's queue and its counts")

STEPS = (
        "DROP INDEX callback_status_due",
        "CREATE INDEX callback_open_due ON callback (status, due_on, member_id, reason, owner_id)",
        "DROP INDEX callback_status_closed",
        "CREATE INDEX callback_status_closed ON callback (status, closed_at, member_id, owner_id)",
)
