"""Entry point of ``ledger-tool``.

Each sub-command lives in its own module ``ledger_tool/cmd_<name>.py`` with a
``register(subparsers)`` function that adds its parser and sets ``func``.
Heavy libraries (pandas, matplotlib, openpyxl) are imported inside the
command functions only, so ``--help`` and ``check`` start fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from ledger.errors import LedgerError, UsageError

# Order is the order shown in --help.
COMMAND_MODULES = [
    "init",
    "check",
    "list",
    "balance",
    "report",
    "rates",
    "extract",
    "sources",
    "audit",
    "add",
    "cite",
    "import",
    "export",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line, exit 2
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ledger-tool",
        description="Record public funding pledges with their sources; "
                    "normalise currencies and periods; report and audit.",
    )
    parser.add_argument("--version", action="version", version=f"ledger-tool {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        module = f"ledger_tool.cmd_{name}"
        try:
            importlib.import_module(module).register(sub)
        except ModuleNotFoundError as err:
            if err.name != module:  # a command's own broken import must show
                raise
    return parser


def version() -> str:
    """The installed distribution's version; the source tree's pyproject.toml
    when run from a checkout that was never installed."""
    from importlib import metadata
    try:
        return metadata.version("ledger-tool")
    except metadata.PackageNotFoundError:
        import re
        from pathlib import Path
        try:
            text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8")
        except OSError:
            return "unknown"
        m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
        return m.group(1) if m else "unknown"


def prefixed(message: str) -> str:
    """``message`` with one ``ledger-tool:`` in front (usage errors name the
    sub-command, ``ledger-tool check: ...``, and carry the name already)."""
    return message if message.startswith("ledger-tool") else f"ledger-tool: {message}"


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except LedgerError as err:
        print(prefixed(str(err)), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("ledger-tool: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `ledger-tool list ... | head`
        return 0
    except OSError as err:   # read-only, full or missing paths a command did not word
        where = f"{err.filename}: " if err.filename else ""
        print(f"ledger-tool: {where}{err.strerror or err}", file=sys.stderr)
        return 1
