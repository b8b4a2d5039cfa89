from clinic_hq.cli import main

raise SystemExit(main())
