"""Links and totals: whatever the links between entries, either check
refuses the ledger or every entry's money is counted once, by the entry its
links lead to (no cycle leaves a figure with no entry counting it), and the
total is the sum of the entries that link nowhere, worked out here from the
entries as written."""
from __future__ import annotations

import contextlib
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings, strategies as st

from ledger.read import read_book
from ledger_tool.cli import main

KINDS = ("restates", "part_of", "disburses")


def _balance_total(led: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["balance", str(led), "--currency", "GBP", "--depth", "1"])
    lines = out.getvalue().splitlines()
    return code, lines[-1] if lines else ""


cases = st.integers(2, 7).flatmap(lambda n: st.tuples(
    st.lists(st.integers(1, 9), min_size=n, max_size=n),
    st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(KINDS), st.integers(0, n - 1)),
             max_size=n)))


@settings(max_examples=40, deadline=None)
@given(cases)
def test_a_ledger_of_links_is_refused_or_counts_each_figure_once(case):
    amounts, raw = case
    n = len(amounts)
    links: dict[int, dict[str, int]] = {}
    for i, kind, t in raw:
        if t != i:
            links.setdefault(i, {}).setdefault(kind, t)
    text = '[ledger]\nname = "links"\ncurrency = "GBP"\n'
    for i, a in enumerate(amounts):
        # "up to": a package may hold any parts (the package rule is not what is tested)
        text += (f'\n[[entry]]\nid = "e{i}"\ndate = 2016-05-01\nfunder = "UK"\n'
                 f'purpose = "P{i}"\namount = "about £{a}m"\n')
        text += "".join(f'{k} = "e{t}"\n' for k, t in links.get(i, {}).items())

    # by hand: an entry reaches a counted entry unless its links can lead back to it
    def reaches_counted(i, seen=()):
        if i not in links:
            return True
        return all(t not in seen and reaches_counted(t, (*seen, i)) for t in links[i].values())

    def chained_disbursement(i):
        t = links.get(i, {}).get("disburses")
        return t is not None and "disburses" in links.get(t, {})

    with tempfile.TemporaryDirectory() as d:
        led = Path(d) / "l.toml"
        led.write_text(text, encoding="utf-8")
        errors = [p for p in read_book(led).problems if p.severity == "error"]
        code, total = _balance_total(led)
    cyclic = not all(reaches_counted(i) for i in range(n))
    assert any(p.code == "link-cycle" for p in errors) == cyclic
    if not cyclic and not any(chained_disbursement(i) for i in range(n)):
        assert errors == []
        want = sum(Decimal(a) for i, a in enumerate(amounts) if i not in links) * 1_000_000
        assert code == 0
        assert total.split() == ["(total)", f"£{want:,.2f}"]
    else:
        assert code == 1 and total == ""
