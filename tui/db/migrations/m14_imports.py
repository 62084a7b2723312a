"""Migration 14: the shop's files come in (issue 14). Each import is one batch, so that it
can be listed and undone; a member keeps the POS's card number, a purchase its receipt
number, and each imported sale line the key that makes importing it again write nothing
(the receipt and its line, or the receipt, product and quantity where the POS gives no
line number).

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = "imports: batches (undo), POS card numbers, receipt numbers, sale lines' keys"

STEPS = (
    """CREATE TABLE import_batch (
        id INTEGER NOT NULL PRIMARY KEY,
        kind VARCHAR(16) NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 VARCHAR(64) NOT NULL,
        staff_id INTEGER REFERENCES staff (id),
        at DATETIME NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}',
        filled TEXT NOT NULL DEFAULT '{}',
        undone_at DATETIME,
        undone_by_id INTEGER REFERENCES staff (id))""",
    "ALTER TABLE member ADD COLUMN pos_card_no VARCHAR(64)",
    "CREATE UNIQUE INDEX member_pos_card_no ON member (pos_card_no)",
    "ALTER TABLE member ADD COLUMN import_batch_id INTEGER REFERENCES import_batch (id)",
    "ALTER TABLE purchase ADD COLUMN receipt_no VARCHAR(64)",
    "ALTER TABLE purchase ADD COLUMN import_batch_id INTEGER REFERENCES import_batch (id)",
    "CREATE INDEX purchase_import_batch_id ON purchase (import_batch_id)",
    # a POS export writes a return as a line of negative quantity and amount: the table is
    # made again with that check (SQLite cannot change a CHECK in place) and the line's key
    """CREATE TABLE purchase_line_15 (
        id INTEGER PRIMARY KEY,
        purchase_id INTEGER NOT NULL REFERENCES purchase (id) ON DELETE CASCADE,
        product_id INTEGER NOT NULL REFERENCES product (id),
        quantity INTEGER NOT NULL,
        amount_cents INTEGER NOT NULL,
        source_key TEXT,
        CHECK ((quantity > 0 AND amount_cents >= 0) OR (quantity < 0 AND amount_cents <= 0)))""",
    """INSERT INTO purchase_line_15 (id, purchase_id, product_id, quantity, amount_cents)
        SELECT id, purchase_id, product_id, quantity, amount_cents FROM purchase_line""",
    "DROP TABLE purchase_line",
    "ALTER TABLE purchase_line_15 RENAME TO purchase_line",
    "CREATE INDEX purchase_line_purchase_id ON purchase_line (purchase_id)",
    "CREATE INDEX purchase_line_product_id ON purchase_line (product_id)",
    "CREATE UNIQUE INDEX purchase_line_source_key ON purchase_line (source_key)",
    "ALTER TABLE product ADD COLUMN import_batch_id INTEGER REFERENCES import_batch (id)",
)
