"""Migration 13: products a shop keeps itself (issue 14): a barcode (unique where given), the
stage of a formula (1段, 2段 …), the spec as the POS writes it (800g), and whether it is a
durable good. Products on file before this version without days per unit were the demo's
durable goods (the model said so), so they are marked durable; a product made later with
neither days nor durable is a consumable whose days are still to be filled in.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = "products: barcode (unique), stage, spec, durable; days missing made findable"

STEPS = (
    "ALTER TABLE product ADD COLUMN barcode VARCHAR(64)",
    "CREATE UNIQUE INDEX product_barcode ON product (barcode)",
    "ALTER TABLE product ADD COLUMN stage INTEGER CHECK (stage IS NULL OR stage BETWEEN 1 AND 9)",
    "ALTER TABLE product ADD COLUMN spec TEXT",
    "ALTER TABLE product ADD COLUMN durable INTEGER NOT NULL DEFAULT 0",
    "UPDATE product SET durable = 1 WHERE days_per_unit IS NULL",
)
