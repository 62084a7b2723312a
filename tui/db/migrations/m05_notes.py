"""Migration 5: soft-profile notes: free-text observations, dated and signed.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = 'soft-profile notes: free-text observations, dated and signed'

STEPS = (
        """CREATE TABLE member_note (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
            staff_id INTEGER NOT NULL REFERENCES staff (id),
            written_at DATETIME NOT NULL,
            text TEXT NOT NULL CHECK (length(trim(text)) > 0))""",
        "CREATE INDEX member_note_member_time ON member_note (member_id, written_at)",
)
