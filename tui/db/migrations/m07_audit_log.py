"""Migration 7: the audit log, and the day a member's personal data was erased.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = "the audit log, and the day a member's personal data was erased"

STEPS = (
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            staff_id INTEGER REFERENCES staff (id),
            at DATETIME NOT NULL,
            action VARCHAR(255) NOT NULL,
            subject VARCHAR(255) NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX audit_log_at ON audit_log (at)",
        "CREATE INDEX audit_log_subject ON audit_log (subject, at)",
        "ALTER TABLE member ADD COLUMN erased_at DATETIME",
)
