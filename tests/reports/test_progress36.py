"""reports/progress.py writes to the terminal itself (its own \\r and
erase-line codes raw), so the text of a step (a journal file's name:
"reading NAME") is shown inert: no escape code, bell, line break or bidi
control from a name reaches the terminal."""
from __future__ import annotations

import io

from reports.progress import Progress

NAME = "\x1b]0;PWN\x07\x1b[2J\u202eevil\r\n\x9b31m.toml"


def test_a_steps_text_reaches_the_terminal_inert():
    out = io.StringIO()
    p = Progress(f"check {NAME}", stream=out, enabled=True)
    p.step(f"reading {NAME}")
    p.done()
    text = out.getvalue()
    own = text.replace("\r\x1b[K", "")       # the progress line's own codes
    assert not any(c in own for c in "\x1b\x07\u202e\r\x9b"), repr(text)
    assert own.count("\n") == 1 and own.endswith("\n")     # done's line end only
    assert "\\x1b]0;PWN\\x07" in own and "\\u202eevil" in own
