"""The database file itself: who holds it open (sessions), and its checked copies,
their rotation and restore (copies)."""
