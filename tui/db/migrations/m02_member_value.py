"""Migration 2: member value kept on the member: total spend and last purchase.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = 'member value kept on the member: total spend and last purchase'

STEPS = (
        "ALTER TABLE member ADD COLUMN total_spend_cents INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE member ADD COLUMN last_purchase_at DATETIME",
        """UPDATE member SET
            total_spend_cents = COALESCE((
                SELECT SUM(l.amount_cents) FROM purchase p
                JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.member_id = member.id), 0),
            last_purchase_at = (
                SELECT MAX(p.purchased_at) FROM purchase p WHERE p.member_id = member.id)""",
)
