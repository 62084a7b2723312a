"""Whom to call today and why: the rules, raising the calls, the queue, logging a contact."""
