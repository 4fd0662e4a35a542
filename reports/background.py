"""Report work done in a forked child process beside the parent's own
(``in_background``): the charts (``reports.charts.charts_in_background``)
and the full entry and citation tables (``ledger_tool.cmd_report``), so
that on two or more cores they do not lengthen the parent's path.

The child inherits the report (fork: nothing is pickled on the way in),
ignores Ctrl-C (the parent alone answers it, and kills the child), sends its
result or its one-line error back through a pipe and exits without running
the parent's exit handlers.
"""
from __future__ import annotations

import os
import pickle
import signal

from ledger.errors import LedgerError


def in_background(what: str, work, *args):
    """Start ``work(*args)`` in a forked child; returns ``wait(cancel=False)``,
    which waits for the child and gives ``work``'s (picklable) result (once:
    later calls give ``None``).  An
    ``OSError`` in the child is raised again as itself (the caller says it
    as it says its own write errors, naming the path); any other failure
    raises ``LedgerError("report: <what> failed: <Type>: <message>")``.
    ``wait(cancel=True)`` kills the child and gives ``None``.  Without
    ``os.fork`` (not POSIX) ``work`` runs at once, in this process."""
    if not hasattr(os, "fork"):
        done = work(*args)
        return lambda cancel=False: None if cancel else done
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:                     # the child: work, send the result or the error, exit
        # Ctrl-C reaches the whole process group: the parent alone answers it
        # (it kills this child), so the child never prints a traceback
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.close(rd)
        try:
            _send(wr, work, args)
        finally:
            os._exit(0)              # no atexit, no flushing the parent's buffers
    os.close(wr)
    return _waiter(what, pid, rd)


def _send(fd: int, work, args) -> None:
    res: tuple
    try:
        res = ("ok", work(*args))
    except OSError as err:
        res = ("os", err)
    except BaseException as err:   # noqa: BLE001 - every failure goes to the parent
        res = ("error", _one_line(err))
    try:
        data = pickle.dumps(res)
    except Exception as err:       # noqa: BLE001 - an exception that does not pickle
        failed = res[1] if isinstance(res[1], BaseException) else err
        data = pickle.dumps(("error", _one_line(failed)))
    while data:
        data = data[os.write(fd, data):]


def _one_line(err: BaseException) -> str:
    return " ".join(f"{type(err).__name__}: {err}".split())


def _waiter(what: str, pid: int, rd: int):
    waited: list[bool] = []

    def wait(cancel: bool = False):
        if waited:                     # the child is reaped: its pid may be another's now
            return None
        waited.append(True)
        if cancel:
            os.kill(pid, signal.SIGKILL)
        try:
            with os.fdopen(rd, "rb") as fh:
                data = fh.read()
        except BaseException:          # Ctrl-C while waiting: it would write on, unseen
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        os.waitpid(pid, 0)
        if cancel:
            return None
        if not data:
            raise LedgerError(f"report: {what} failed (its process ended without a result)")
        kind, value = pickle.loads(data)   # our own child's bytes
        if kind == "os":
            raise value
        if kind != "ok":
            raise LedgerError(f"report: {what} failed: {value}")
        return value

    return wait
