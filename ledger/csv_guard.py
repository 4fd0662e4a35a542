"""The formula guard of the CSV cells ledger-tool writes, and its undoing on
read: below every reader and writer, so the dataset's documents reader
(``ledger.read.documents``) takes off what the import's writer put on.

Text a spreadsheet would run as a formula (starting with = + - @ tab or CR,
after any apostrophes) gets one more leading apostrophe (OWASP's advice for
CSV injection); a reader takes one off such text only: "-x" -> "'-x" -> "-x",
while "'x" is written and read as it is (``ledger.imports.cells``)."""
from __future__ import annotations

import re

GUARD = "'"
# a writer puts a GUARD before text matching this (unless it is a number: -5)
GUARDED_START = r"^'*[=+\-@\t\r]"
GUARD_TO_DROP = r"^'(?='*[=+\-@\t\r])"          # what a reader takes off
_GUARDED = re.compile(GUARDED_START)
_TO_DROP = re.compile(GUARD_TO_DROP)
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")   # not guarded: -5


def guarded(text: str) -> bool:
    """Whether a writer puts a GUARD before ``text``."""
    return bool(_GUARDED.match(text)) and not NUMBER.match(text)


def guard(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text."""
    return GUARD + text if guarded(text) else text


def unguard(text: str) -> str:
    """A cell's text with a writer's guard taken off (``guard`` undone)."""
    return text[1:] if text.startswith(GUARD) and _TO_DROP.match(text) else text
