"""Entry point of ``ledger-tool``.

Each sub-command lives in its own module ``ledger_tool/cmd_<name>.py`` with a
``register(subparsers)`` function that adds its parser and sets ``func``.
Heavy libraries (pandas, matplotlib, openpyxl) are imported inside the
command functions only, so ``--help`` and ``check`` start fast.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import signal
import sys
from pathlib import Path

try:   # importing the ledger takes a moment: Ctrl-C may land here, before main()
    from ledger.errors import LedgerError, UsageError
    from ledger_tool.import_names import DATA_FILE, IMPORTED_NAME
    from ledger.text_safety import show_controls, show_on_terminal
    from ledger.versions import installed_version
except KeyboardInterrupt:
    print("ledger-tool: interrupted", file=sys.stderr)
    sys.stderr.flush()
    os._exit(130)   # nothing written yet; no traceback from the import machinery

# Each command's line in --help, in the order shown.  The command's module is
# imported only when it runs (or for its own --help): --help and a usage
# error load none of them.
COMMANDS = {
    "init": "create a new, empty ledger folder",
    "check": "validate a ledger and print every problem",
    "list": "list entries (table, CSV or JSON)",
    "balance": "account balances, as recorded or converted",
    "report": "comparison report in --out DIR: report.xlsx, charts (PNG, SVG), report.html, summary.csv",
    "rates": "convert amounts and show exchange rates (ECB history + your tables)",
    "extract": "find money mentions in documents (table, CSV or JSON on stdout; draft entries to --draft FILE)",
    "sources": "archive, record, list and remove source documents",
    "audit": "verify every figure against its archived source",
    "add": "add an entry to the ledger (validated, atomic, keeps comments)",
    "cite": "add a citation to an existing entry (validated, atomic, keeps comments)",
    "import": (f"turn a spreadsheet of pledges (CSV, XLSX), IATI activity XML or OCHA FTS flows into "
               f"journal entries (-o FILE, or {IMPORTED_NAME}, {DATA_FILE['iati']} or "
               f"{DATA_FILE['fts']} in a ledger folder)"),
    "export": "export to hledger, beancount, CSV, Parquet or a Fiscal Data Package (-o FILE, or -o DIR for fdp)",
}
COMMAND_MODULES = list(COMMANDS)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line, exit 2
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


class _Commands(argparse._SubParsersAction):
    """The sub-commands: each one's line in --help comes from ``COMMANDS``."""

    def add_parser(self, name, **kwargs):
        kwargs.setdefault("help", COMMANDS.get(name))
        return super().add_parser(name, **kwargs)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``command``, only that command's module
    is imported (the others are listed by name and line), and with ``""``
    none is."""
    parser = _Parser(
        prog="ledger-tool",
        description="Record public funding pledges with their sources; "
                    "normalise currencies and periods; report and audit.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                action=_Commands)
    sub.required = True
    for name in COMMAND_MODULES:
        if command is not None and name != command:
            sub.add_parser(name)
            continue
        module = f"ledger_tool.cmd_{name}"
        try:
            importlib.import_module(module).register(sub)
        except ModuleNotFoundError as err:
            if err.name != module:  # a command's own broken import must show
                raise
    # --scheduler on the commands that run a dataset partition by partition (import
    # writes datasets and never reads one: its start-up does without pandas)
    if command not in ("", "import"):
        _datasets().add_scheduler_option(sub)
    return parser



class _Version(argparse._VersionAction):
    """``--version``: the version looked up only when asked for (reading the
    installed distribution's metadata is a cost every command paid)."""

    @property
    def version(self) -> str:
        return f"ledger-tool {version()}"

    @version.setter
    def version(self, _given) -> None:
        pass


def _datasets():
    """ledger_tool.dataset_commands, imported only when a command may need
    it (it loads the readers, which ``--help`` does not need)."""
    return importlib.import_module("ledger_tool.dataset_commands")


def chosen_command(argv: list[str]) -> str:
    """The sub-command ``argv`` runs (its first word that is not an option),
    or "" when there is none."""
    word = next((a for a in argv if not a.startswith("-")), "")
    return word if word in COMMANDS else ""


def version() -> str:
    """The installed distribution's version; the source tree's pyproject.toml
    when run from a checkout that was never installed."""
    found = installed_version("ledger-tool")
    if found:
        return found
    try:
        text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8")
    except OSError:
        return "unknown"
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    return m.group(1) if m else "unknown"


class InertMessages:
    """stderr (and stdout on a terminal) as the commands write to it: control and
    invisible characters (from a file's name, a cell, a title) shown as
    \\xNN, never sent raw to the terminal; line breaks and tabs kept.
    Progress lines (``reports.progress``) write to ``unescaped``."""

    def __init__(self, stream):
        self.unescaped = stream

    def write(self, text: str) -> int:
        self.unescaped.write(show_controls(text, terminal=True, keep="\n\t"))
        return len(text)

    def __getattr__(self, name):
        return getattr(self.unescaped, name)


class InertOutput(InertMessages):
    """stdout on a terminal: what could move the cursor, end a line or
    reorder text shown as \\xNN (``show_on_terminal``), a Persian joiner or
    an emoji's kept; no byte ``buffer`` for a writer to send raw text
    through (``export_text._write_array``)."""
    buffer = None

    def write(self, text: str) -> int:
        self.unescaped.write(show_on_terminal(text))
        return len(text)


@contextlib.contextmanager
def inert_messages():
    """Every message a command prints inert (``InertMessages``) while it runs,
    and its output too when stdout is a terminal (``export -o -``'s quotes
    and notes); to a pipe or a file the output is left as it is, the same
    bytes as ``-o FILE`` (docs/guarantees.md)."""
    saved, saved_out = sys.stderr, sys.stdout
    sys.stderr = InertMessages(saved)
    if _is_terminal(saved_out):
        sys.stdout = InertOutput(saved_out)
    try:
        yield
    finally:
        sys.stderr, sys.stdout = saved, saved_out


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):   # no isatty, or closed
        return False


def prefixed(message: str) -> str:
    """``message`` with one ``ledger-tool:`` in front of each of its lines, so
    that every line of an error (one per unreadable file) is known for one
    (usage errors name the sub-command, ``ledger-tool check: ...``, and carry
    the name already; blank lines stay blank)."""
    return "\n".join(line if line.startswith(("ledger-tool:", "ledger-tool ")) or not line.strip()
                     else f"ledger-tool: {line}" for line in message.split("\n"))


def main(argv: list[str] | None = None) -> int:
    with inert_messages():     # no escape code from a file's name reaches the terminal
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(chosen_command(argv)).parse_args(argv)
        # a partitioned Parquet dataset: partition by partition
        on_dataset = _datasets().dispatch(args) if hasattr(args, "scheduler") else None
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
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.unraisablehook = lambda _hook: None
    print("ledger-tool: interrupted", file=sys.stderr)
    sys.stderr.flush()
    return 130
