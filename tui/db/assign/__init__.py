"""Which guide looks after which member: the even split, the hand-over, one member at a time."""
