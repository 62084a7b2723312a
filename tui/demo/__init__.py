"""The demo shop: its people, products and members, a year of history, and the build."""
