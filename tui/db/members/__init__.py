"""The member archive: the card, registering and editing, completeness, lookup, sales, segments."""
