"""The script that generated migration 9 (m09_leaderboards.py): the SQL that stores each
member's archive bits and each contact's next purchase, kept exact by triggers, and the
covering indexes of the boards. Run it to see the statements again:

    python -m tui.db.migrations.make_m09

Its output was frozen into m09_leaderboards.py; that file, not this one, is the migration.
"""

from __future__ import annotations

from tui.db.archive_log import ARCHIVE_FIELDS, BITS_COLUMNS, archive_bits_sql, field_sql


def archive_bits_schema() -> tuple[str, ...]:
    """The schema step that stores each member's archive bits, kept exact by triggers on
    every write (the app's, the demo's bulk SQL, a merge moving children), with a covering
    index so the archive board reads one index instead of every member row. A sale and a
    child touch one bit each, so their triggers set just that bit. For the lead to freeze
    into a numbered migration; the tests and the benchmark apply it to a copy."""
    family = 1 << ARCHIVE_FIELDS.index("family")
    spend = 1 << ARCHIVE_FIELDS.index("total_spend")
    bought = 1 << ARCHIVE_FIELDS.index("products_bought")
    whole = "UPDATE member SET archive_bits = {bits} WHERE id = NEW.id;"
    family_again = (f"UPDATE member SET archive_bits = (archive_bits & ~{family}) | "
                    f"(({field_sql('family', 'member')}) << {ARCHIVE_FIELDS.index('family')}) "
                    "WHERE id = {};")
    return (
        "ALTER TABLE member ADD COLUMN archive_bits INTEGER NOT NULL DEFAULT 0",
        f"UPDATE member SET archive_bits = {archive_bits_sql('member')}",
        "CREATE INDEX member_owner_archive ON member (owner_id, erased_at, archive_bits)",
        "CREATE TRIGGER member_archive_bits_insert AFTER INSERT ON member BEGIN "
        + whole.format(bits=archive_bits_sql("NEW")) + " END",
        f"CREATE TRIGGER member_archive_bits_update AFTER UPDATE OF {', '.join(BITS_COLUMNS)} "
        "ON member BEGIN " + whole.format(bits=archive_bits_sql("NEW")) + " END",
        "CREATE TRIGGER member_archive_bits_sale AFTER UPDATE OF total_spend_cents, "
        "last_purchase_at ON member BEGIN "
        f"UPDATE member SET archive_bits = (archive_bits & ~{spend | bought})"
        f" | ((coalesce(NEW.total_spend_cents, 0) <> 0) * {spend})"
        f" | ((NEW.last_purchase_at IS NOT NULL) * {bought}) WHERE id = NEW.id; END",
        "CREATE TRIGGER child_archive_bits_insert AFTER INSERT ON child BEGIN "
        f"UPDATE member SET archive_bits = archive_bits | {family} WHERE id = NEW.member_id; END",
        "CREATE TRIGGER child_archive_bits_delete AFTER DELETE ON child BEGIN "
        + family_again.format("OLD.member_id") + " END",
        "CREATE TRIGGER child_archive_bits_move AFTER UPDATE OF member_id ON child BEGIN "
        + family_again.format("OLD.member_id") + " "
        + f"UPDATE member SET archive_bits = archive_bits | {family} WHERE id = NEW.member_id; END",
    )


def next_purchase_schema() -> tuple[str, ...]:
    """Each contact's first purchase by its member after it, stored and kept exact by
    triggers on every write of a purchase or a contact (a sale, the demo's bulk SQL, a
    merge moving both): follow-up success then reads the contact index alone."""
    first = ("(SELECT MIN(p.purchased_at) FROM purchase p WHERE p.member_id = contact.member_id "
             "AND p.purchased_at > contact.contacted_at)")
    recompute = f"UPDATE contact SET next_purchase_at = {first} WHERE {{}};"
    return (
        "ALTER TABLE contact ADD COLUMN next_purchase_at DATETIME",
        f"UPDATE contact SET next_purchase_at = {first}",
        # a contact is nearly always logged after the member's last purchase: nothing to do
        "CREATE TRIGGER contact_next_purchase_insert AFTER INSERT ON contact "
        "WHEN EXISTS (SELECT 1 FROM purchase p WHERE p.member_id = NEW.member_id "
        "AND p.purchased_at > NEW.contacted_at) BEGIN "
        + recompute.format("id = NEW.id") + " END",
        "CREATE TRIGGER contact_next_purchase_move AFTER UPDATE OF member_id, contacted_at "
        "ON contact BEGIN " + recompute.format("id = NEW.id") + " END",
        "CREATE TRIGGER purchase_next_purchase_insert AFTER INSERT ON purchase "
        "WHEN NEW.member_id IS NOT NULL BEGIN "
        "UPDATE contact SET next_purchase_at = NEW.purchased_at "
        "WHERE member_id = NEW.member_id AND contacted_at < NEW.purchased_at "
        "AND (next_purchase_at IS NULL OR next_purchase_at > NEW.purchased_at); END",
        "CREATE TRIGGER purchase_next_purchase_move AFTER UPDATE OF member_id, purchased_at "
        "ON purchase BEGIN "
        + recompute.format("member_id IN (OLD.member_id, NEW.member_id)") + " END",
        "CREATE TRIGGER purchase_next_purchase_delete AFTER DELETE ON purchase BEGIN "
        + recompute.format("member_id = OLD.member_id") + " END",
    )


#: the month's contacts and callbacks read from an index alone
COVERING_INDEXES = (
    "DROP INDEX contact_staff_time",
    "CREATE INDEX contact_staff_time ON contact "
    "(staff_id, contacted_at, member_id, outcome, care, next_purchase_at)",
    "DROP INDEX callback_owner_status_due",
    "CREATE INDEX callback_owner_status_due ON callback (owner_id, status, due_on, closed_at)",
)


def proposed_schema() -> tuple[str, ...]:
    """Every statement of migration 9, in order: what m09_leaderboards.py froze (a test
    keeps the two equal). The boards give the same figures with or without it, only
    faster; the benchmark applies it to a copy to measure that."""
    return archive_bits_schema() + next_purchase_schema() + COVERING_INDEXES


if __name__ == "__main__":
    for statement in proposed_schema():
        print(statement + ";")
