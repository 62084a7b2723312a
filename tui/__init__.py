"""Shopfloor: the member archive, today's callback queue and the guides' work, in a terminal."""

__version__ = "0.1.0"
