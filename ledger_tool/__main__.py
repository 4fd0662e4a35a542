from ledger_tool.cli import main

raise SystemExit(main())
