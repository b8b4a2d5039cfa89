"""``python -m clinic_app``: the same as the ``clinic-app`` command."""

from clinic_app.cli import main

raise SystemExit(main())
