"""One screen per module.

A screen imports the screens it opens inside the action that opens them, and the app its
screens likewise: only the sign-in screen and the queue are loaded at start-up (the
launch budget in docs/benchmarks.md). Those imports are for start-up time, never to
break a circle: the acyclic_siblings contract in pyproject.toml sees them too.
"""
