"""Files coming in: a shop's members, products and POS sales read from CSV, XLSX or XLS
and checked into typed rows (tui.intake.rows, the contract the import's writes rely on).

No SQL and no Textual here: read (the file, streamed, its encoding), values (one cell
into one typed value, or what is wrong with it), mapping (which column is which field,
guessed from the header, saved by name), rows (the rows and the problems, row by row).
"""
