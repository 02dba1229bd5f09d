"""``python -m hub_builder`` is the same as the ``vtq-hub`` command."""

from hub_builder.cli import main

raise SystemExit(main())
