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

from ledger_tool.dataset_commands import add_scheduler_option, dispatch

try:   # ledger's package imports pandas: Ctrl-C may land here, before main()
    from ledger.errors import LedgerError, UsageError
    from ledger_tool.common import inert_messages
except KeyboardInterrupt:
    print("ledger-tool: interrupted", file=sys.stderr)
    sys.stderr.flush()
    import os
    os._exit(130)   # nothing written yet; no traceback from the import machinery

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
    add_scheduler_option(sub)
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
    with inert_messages():     # no escape code from a file's name reaches the terminal
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        on_dataset = dispatch(args)   # a partitioned Parquet dataset: partition by partition
        return int(on_dataset if on_dataset is not None else args.func(args) or 0)
    except LedgerError as err:
        print(prefixed(str(err)), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return interrupted()
    except RuntimeError as err:   # pathlib's "Symlink loop from ..." (Python 3.11, 3.12)
        if not str(err).startswith("Symlink loop"):
            raise
        print(f"ledger-tool: {str(err).replace('Symlink loop from ', '')}: a symbolic-link "
              f"loop", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `ledger-tool list ... | head`
        return 0
    except OSError as err:   # read-only, full or missing paths a command did not word
        where = f"{err.filename}: " if err.filename else ""
        print(f"ledger-tool: {where}{err.strerror or err}", file=sys.stderr)
        return 1


def interrupted() -> int:
    """Ctrl-C: one line, exit 130.  Every write is atomic (ledger.atomic), so
    nothing is half-written; what the interrupted code leaves to the garbage
    collector or a second Ctrl-C during the clean-up prints nothing more."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.unraisablehook = lambda _hook: None
    print("ledger-tool: interrupted", file=sys.stderr)
    sys.stderr.flush()
    return 130
