"""The leaderboards: the figures per guide, what is behind each, and the periods they cover."""
