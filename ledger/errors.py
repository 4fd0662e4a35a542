"""User-facing errors.

Raise ``LedgerError`` for a mistake in the user's input or request; the CLI
prints its message (which must name the file, line or entry and what is
wrong) and exits 1, without a traceback.
"""


class LedgerError(Exception):
    """A problem the user can fix; ``str(err)`` is the whole message."""

    exit_code = 1


class UsageError(LedgerError):
    """A malformed command line (exit 2)."""

    exit_code = 2
