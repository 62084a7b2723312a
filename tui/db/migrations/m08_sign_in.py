"""Migration 8: sign-in: a salted PIN hash per staff member, and the lock after wrong PINs.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = 'sign-in: a salted PIN hash per staff member, and the lock after wrong PINs'

STEPS = (
        "ALTER TABLE staff ADD COLUMN pin_hash VARCHAR(255) NOT NULL DEFAULT ''",
        "ALTER TABLE staff ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE staff ADD COLUMN locked_until DATETIME",
)
