"""ledger/writer.py: ``render``'s header becomes comment lines, each inert
(``one_line``): a line break of another kind than \\n cannot end one."""
from __future__ import annotations

import tomllib

from ledger.writer import render


def test_a_header_line_break_of_any_kind_stays_in_its_comment():
    text = render(header='from "a\x0b[x]\u2028b = 1\rc = 2"\nsecond line')
    assert tomllib.loads(text) == {}
    assert text.splitlines()[1] == "# second line"
    assert len(text.splitlines()) == 2
