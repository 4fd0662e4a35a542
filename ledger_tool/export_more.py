"""The export formats added by issue 15, kept out of cmd_export.py: the
Fiscal Data Package (``--to fdp -o DIR``)."""
from __future__ import annotations

import sys

from ledger.errors import LedgerError


def run_fdp(book, args, currency: str) -> int:
    from pathlib import Path

    from reports.fdp import CSV_NAME, write_fdp

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise LedgerError(f"export: --to fdp writes a folder; {out} is a file")
    existing = [n for n in ("datapackage.json", CSV_NAME) if (out / n).exists()]
    if existing and not getattr(args, "force", False):   # --force: issue 16's flag
        raise LedgerError(f"export: {out} already holds {', '.join(existing)}; not replaced "
                          f"(remove it or choose another folder)")
    if args.basis != "recorded":
        raise LedgerError("export: --to fdp always holds the total over each period, spread "
                          "into years (as the report); --basis does not apply")
    try:
        n = write_fdp(book, args.output, currency=currency, valuation=args.valuation,
                      horizon=args.horizon, years=args.years or "calendar", rates=args.rates)
    except OSError as err:
        raise LedgerError(f"export: cannot write {args.output}: {err.strerror or err}") from None
    print(f"ledger-tool: export: {n} rows written to {args.output}/ (datapackage.json, "
          f"ledger.csv; Fiscal Data Package)", file=sys.stderr)
    return 0
