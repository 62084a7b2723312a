"""`python -m tui` is the `shopfloor` command."""

from tui.cli import main

raise SystemExit(main())
