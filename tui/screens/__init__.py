"""One screen per module.

A screen imports the screens it opens inside the action that opens them, and the app its
screens likewise: only the sign-in screen is loaded at start-up (the launch budget in
docs/benchmarks.md); it loads the queue on a thread once it is painted, while a person
types the PIN. Those imports are for start-up time, never to
break a circle: the acyclic_siblings contract in pyproject.toml sees them too.
"""
