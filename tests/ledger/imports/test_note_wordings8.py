"""A re-import tells the importer's note parts from the user's by the
wordings (``Wordings.wrote``).  A part is matched by its literal texts in
order, not by a regex of several ".*?" whose backtracking grew cubically
with the part (a 14,000-character part took 57 s): a 100,000-character
part is told at once, and every wording tells the same parts as the
regex it replaces (a hypothesis property over the importers' wordings)."""
from __future__ import annotations

import re
import string
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.imports import fts, iati
from ledger.imports.common import SHARE_NOTES, Wording

WORDINGS = list({id(w): w for ws in (iati.NOTES, fts.NOTES, SHARE_NOTES)
                 for w in ws.listed}.values())
FIELDS = {"kind": "plan|emergency|project"}     # fts's {kind}: {name}
ROOT = Path(__file__).resolve().parents[3]


def _regex(w: Wording) -> re.Pattern[str]:
    """The wording as 47889c5 read it: a regex, ".*?" per free field."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(w.template):
        out.append(re.escape(literal))
        if name is not None:
            kind = name in FIELDS and w.template == "{kind}: {name}"
            out.append(f"(?:{FIELDS[name]})" if kind else ".*?")
    return re.compile("".join(out), re.DOTALL)


@st.composite
def _parts(draw):
    """A part written by a wording (its fields any text, often its own
    literals), or that part slipped by one character."""
    w = draw(st.sampled_from(WORDINGS))
    bits = [lit for lit, _, _, _ in string.Formatter().parse(w.template) if lit]
    text = st.one_of(st.text(max_size=6), st.sampled_from(bits + ["plan", "project", ": "]))
    values = {}
    for _, name, _, _ in string.Formatter().parse(w.template):
        if name is not None and name not in values:
            values[name] = "".join(draw(st.lists(text, max_size=3)))
    part = w.template.format(**values)
    if draw(st.booleans()) and part:
        i = draw(st.integers(0, len(part) - 1))
        part = part[:i] + draw(st.sampled_from(["", "x", ":", " "])) + part[i + 1:]
    return w, part


@settings(max_examples=500, deadline=None)
@given(_parts())
def test_each_wording_reads_what_its_regex_read(case):
    w, part = case
    for other in WORDINGS:
        assert other.read(part) == bool(_regex(other).fullmatch(part)), (other.template, part)
    assert iati.NOTES.wrote(part) == any(_regex(o).fullmatch(part) for o in iati.NOTES.listed)


def test_the_reviewers_parts_are_told():
    made = iati._TRANSACTION(version="2.03", code="3", name="Disbursement")
    assert iati.NOTES.wrote(made)
    assert not iati.NOTES.wrote("checked by hand against the annual report")
    assert not iati.NOTES.wrote(made + ".")


def test_a_long_part_is_told_at_once():
    # 100,000 characters, the fields full of the literals that make ".*?"
    # backtrack; run apart with a timeout: a hang fails, it does not stall
    code = (
        "from ledger.imports import iati, fts\n"
        "from ledger.imports.common import SHARE_NOTES\n"
        "filler = ': the percentage of ' * 5000\n"
        "long = SHARE_NOTES.listed[0].template.format(what=filler, item=filler[:-1], why='x')\n"
        "assert len(long) > 100_000, len(long)\n"
        "assert iati.NOTES.wrote(long)\n"
        "assert not iati.NOTES.wrote(long[:-1])\n"
        "assert not fts.NOTES.wrote('IATI ' + filler * 2 + ' not used.')\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
