try:
    from ledger_tool.cli import main
except KeyboardInterrupt:   # Ctrl-C while Python starts: one line, as main() says it
    import sys
    print("ledger-tool: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
