"""Progress messages for long work, on stderr, only when stderr is a terminal.

    progress = Progress("report")
    progress.step("normalising amounts")      # "report: normalising amounts… (0.1 s)"
    progress.done()

Quiet (no output at all) when stderr is redirected to a file or pipe, or when
``enabled=False``; tests pass an explicit ``stream``.
"""
from __future__ import annotations

import sys
import time
from typing import IO

from ledger.text_safety import one_line


class Progress:
    def __init__(self, label: str, *, stream: IO[str] | None = None, enabled: bool | None = None):
        self.label = one_line(label)
        # the terminal itself: its own \r and erase-line codes are not escaped
        self.stream = stream if stream is not None else \
            getattr(sys.stderr, "unescaped", sys.stderr)
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.started = time.perf_counter()
        self.steps: list[str] = []

    def step(self, what: str) -> None:
        """Announce the next piece of work."""
        self.steps.append(what)
        if self.enabled:     # a file's name in it shown inert: the stream is the raw terminal
            what = one_line(what)
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"\r\x1b[K{self.label}: {what}… ({elapsed:.1f} s)")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"\r\x1b[K{self.label}: done in {elapsed:.1f} s\n")
            self.stream.flush()
