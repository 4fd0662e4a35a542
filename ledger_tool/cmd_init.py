"""ledger-tool init DIR: a new, empty, valid ledger."""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from ledger.atomic import write_all_atomic
from ledger.errors import LedgerError
from ledger.phrases.money import MoneyError, _check_currency
from ledger.rules.options import OptionError, fiscal_start
from ledger.sources.archive import DEFAULT_ARCHIVE, NEW_SOURCES_HEADER
from ledger_tool.common import check_locale

LEDGER_FILE = "ledger.toml"
SOURCES_FILE = "sources.toml"


def register(sub) -> None:
    p = sub.add_parser(
        "init", description="Create DIR (or use it when empty) with ledger.toml (name, currency, "
                    "locale, fiscal year start), an empty sources.toml and the source "
                    "archive folder, each with a comment saying what goes where.  "
                    "'ledger-tool check DIR' passes on the result.")
    p.add_argument("folder", metavar="DIR", help="the ledger folder to create")
    p.add_argument("--name", help="the ledger's name (default: the folder's name)")
    p.add_argument("--currency", default="GBP", help="report currency (default GBP)")
    p.add_argument("--locale", default="en_GB", help="locale for amounts (default en_GB)")
    p.add_argument("--fiscal-year-start", default="04-01", metavar="MM-DD",
                   help="first day of the fiscal year (default 04-01, the UK's)")
    p.set_defaults(func=run)


def ledger_text(name: str, currency: str = "GBP", locale: str = "en_GB",
                fiscal_year_start: str = "04-01") -> str:
    import tomlkit

    def q(v):
        return tomlkit.item(v).as_string()
    return f"""\
# A ledger-tool ledger: every *.toml file in this folder is part of it.
#   ledger.toml   options for the whole ledger (this file)
#   sources.toml  the source documents ([[document]] tables)
#   *.toml        pledges ([[entry]] tables), e.g. from `ledger-tool add` or `import`
#   {DEFAULT_ARCHIVE}/      the archived documents (sources add copies them in; audit reads them)
# See docs/journal.md.  Check it with: ledger-tool check <this folder>

[ledger]
name = {q(name)}
currency = {q(currency)}            # default report currency
locale = {q(locale)}              # default locale for amounts
fiscal_year_start = {q(fiscal_year_start)}   # MM-DD
archive = {q(DEFAULT_ARCHIVE)}             # the source archive folder, relative to this one
"""


def init_ledger(folder: str | Path, *, name: str | None = None, currency: str = "GBP",
                locale: str = "en_GB", fiscal_year_start: str = "04-01") -> Path:
    """Create the ledger folder; refuse a folder that already holds files."""

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise LedgerError(f"init: {folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise LedgerError(f"init: {folder} is not empty; give a new or empty folder")
    try:
        currency = _check_currency(currency.upper())
    except MoneyError as err:
        raise LedgerError(f"init: --currency {currency!r}: {err}") from None
    check_locale(locale)
    try:
        month, day = fiscal_start(fiscal_year_start)
    except OptionError:
        raise LedgerError(f"init: --fiscal-year-start {fiscal_year_start!r} is not a MM-DD "
                          f"day such as 04-01") from None
    fiscal_year_start = f"{month:02d}-{day:02d}"
    name = name or folder.resolve().name
    # the folders this run makes, outermost first: the missing parents too
    absolute = Path(os.path.abspath(folder))
    made = [d for d in (*reversed(absolute.parents), absolute, absolute / DEFAULT_ARCHIVE)
            if not os.path.lexists(d)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / DEFAULT_ARCHIVE).mkdir(exist_ok=True)
        # both files or neither: a ledger.toml alone would make a second init refuse the folder
        write_all_atomic({folder / LEDGER_FILE: ledger_text(name, currency, locale,
                                                            fiscal_year_start).encode("utf-8"),
                          folder / SOURCES_FILE: NEW_SOURCES_HEADER.encode("utf-8")},
                         inside=folder)
    except BaseException as err:
        for d in reversed(made):     # only the folders made here, and only while empty
            with contextlib.suppress(OSError):
                d.rmdir()
        if isinstance(err, OSError):
            raise LedgerError(f"init: cannot create {folder}: {err.strerror or err}") from None
        raise
    return folder


def run(args) -> int:
    folder = init_ledger(args.folder, name=args.name, currency=args.currency,
                         locale=args.locale, fiscal_year_start=args.fiscal_year_start)
    print(f"ledger-tool: init: created {folder} ({LEDGER_FILE}, {SOURCES_FILE}, "
          f"{DEFAULT_ARCHIVE}/)",
          file=sys.stderr)
    return 0
