"""``python -m playground``: the headless command line."""

from playground.cli import main

raise SystemExit(main())
