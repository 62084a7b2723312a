"""Migration 4: pinyin keys of every name, and indexes to find a member by name, pinyin or
initials.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

from tui.db.pinyin import fill_name_keys

ABOUT = ('pinyin keys of every name, and indexes to'
         ' find a member by name, pinyin or initials')

STEPS = (
        "ALTER TABLE member ADD COLUMN name_pinyin VARCHAR(255) NOT NULL DEFAULT ''",
        "ALTER TABLE member ADD COLUMN name_initials VARCHAR(255) NOT NULL DEFAULT ''",
        "CREATE INDEX member_name ON member (name)",
        "CREATE INDEX member_name_pinyin ON member (name_pinyin)",
        "CREATE INDEX member_name_initials ON member (name_initials)",
        fill_name_keys,
)
