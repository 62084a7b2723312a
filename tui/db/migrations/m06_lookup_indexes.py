"""Migration 6: covering lookup indexes: a broad query (张, z) is ordered by spend from the
index alone.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = ('covering lookup indexes: a broad query (张, '
         'z) is ordered by spend from the index alone')

STEPS = (
        "DROP INDEX member_name",
        "DROP INDEX member_name_pinyin",
        "DROP INDEX member_name_initials",
        "CREATE INDEX member_name ON member (name, total_spend_cents, member_no)",
        "CREATE INDEX member_name_pinyin ON member (name_pinyin, total_spend_cents, member_no)",
        "CREATE INDEX member_name_initials ON member (name_initials, total_spend_cents, member_no)",
)
