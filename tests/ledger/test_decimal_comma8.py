"""A cell written with both marks decides its column's decimal mark against
the file kind's default only when it cannot be a one-character slip of a
number written the other way (``says_mark``: two or more grouping marks
and the decimal mark, "1.500.000,50").  "1.500,000" is "1,500,000" with one
character changed: it no longer turns "1,500" into 1.5.  When a cell does
decide, the ambiguous cells read against the default are named in one
warning line (balance and import alike).  Figures by hand from the rows."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.phrases.money import COMMA, POINT, read_number, says_mark

HEAD = "id,date,funder,purpose,amount,currency\n"
# every character a number of either convention is written with; a slip
# into any other character leaves no number at all
ALPHABET = "0123456789.,+- \u00a0\u2009\u202f"


def _slips(text: str):
    """Every text one character substitution, insertion or deletion away."""
    for i in range(len(text) + 1):
        for c in ALPHABET:
            yield text[:i] + c + text[i:]
        if i < len(text):
            yield text[:i] + text[i + 1:]
            for c in ALPHABET:
                yield text[:i] + c + text[i + 1:]


def _other(mark: str) -> str:
    return COMMA if mark == POINT else POINT


@st.composite
def _numbers(draw, mark: str) -> str:
    """A number written with decimal ``mark``, grouped by the other mark, by
    spaces or not at all, with or without decimals and sign."""
    sign = draw(st.sampled_from(["", "-", "+"]))
    head = str(draw(st.integers(1, 999)))
    groups = [f"{g:03d}" for g in draw(st.lists(st.integers(0, 999), max_size=4))]
    sep = draw(st.sampled_from([_other(mark), " ", ""]))
    whole = head + "".join(sep + g for g in groups) if groups else \
        str(draw(st.integers(0, 10 ** 7)))
    decimals = draw(st.one_of(st.just(""), st.from_regex(r"[0-9]{1,5}", fullmatch=True)))
    return sign + whole + (mark + decimals if decimals else "")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([POINT, COMMA]), st.data())
def test_no_slip_of_a_number_written_one_way_says_the_other(mark, data):
    number = data.draw(_numbers(_other(mark)))
    assert read_number(number, _other(mark)) is not None
    trusted = [s for s in _slips(number) if says_mark(s, mark)]
    assert not trusted, f"{number!r} slips into {trusted[:3]}"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([POINT, COMMA]), st.integers(1, 999),
       st.lists(st.integers(0, 999), min_size=2, max_size=4), st.integers(0, 10 ** 4))
def test_a_cell_that_says_its_mark_is_no_slip_of_the_other(mark, head, groups, decimals):
    # the slip relation is symmetric: every text one edit from a trusted cell
    # (all of them, not a sample) is no number of the other convention
    cell = str(head) + "".join(f"{_other(mark)}{g:03d}" for g in groups) + f"{mark}{decimals}"
    assert says_mark(cell, mark)
    near = [s for s in _slips(cell) if read_number(s, _other(mark)) is not None]
    assert not near, f"{cell!r} is a slip of {near[:3]}"


def test_one_grouping_mark_says_nothing():
    # "1.500,000" is "1,500,000" slipped, "1.234,50" is "1.234050" slipped
    for cell in ("1.500,000", "1.234,50", "1,500.000", "1,234.5", "1.500", "2,5"):
        assert not says_mark(cell, POINT) and not says_mark(cell, COMMA), cell
    assert says_mark("1.500.000,50", COMMA) and says_mark("-1,500,000.5", POINT)


def _total(out: str) -> Decimal:
    (row,) = [r for r in csv.DictReader(io.StringIO(out)) if r["account"] == "(total)"]
    return Decimal(row["amount"])


def _bulk(path, amounts):
    path.write_text(HEAD + "".join(f'e{k},2020-01-0{k},UK:Home Office,Security:Calais,"{a}",GBP\n'
                                   for k, a in enumerate(amounts, 1)), encoding="utf-8")
    return path


def test_a_slipped_cell_leaves_the_point_file_refusing(tmp_path, run_cli):
    # "1.500,000" (line 4) decided a decimal comma: "1,500" and "2,000" read
    # 1.5 and 2 with no word; now the column is written both ways and refused
    path = _bulk(tmp_path / "h.csv", ["1,500", "2,000", "1.500,000"])
    code, out, err = run_cli("balance", path)
    assert code == 1 and "Traceback" not in err
    assert "h.csv:2: entry 'e1': error: amount: '1,500'" in err
    assert "h.csv:3: entry 'e2': error: amount: '2,000'" in err
    code, _, err = run_cli("import", path, "-o", tmp_path / "out" / "l.toml")
    assert "'1,500'" in err and "'2,000'" in err
    written = (tmp_path / "out" / "l.toml")
    assert not written.exists() or 'amount = "1.5' not in written.read_text(encoding="utf-8")


def test_a_deciding_cell_names_what_it_decides(tmp_path, run_cli):
    # 1.5 + 2 + 3.25 + 1500000.50 with the decimal comma line 5 says
    path = _bulk(tmp_path / "a.csv", ["1,500", "2,000", "3,250", "1.500.000,50"])
    code, out, err = run_cli("balance", path, "--format", "csv")
    assert code == 0, err
    assert _total(out) == Decimal("1500007.25")
    (line,) = [w for w in err.splitlines() if "read with a decimal comma" in w]
    assert "'1,500' (line 2) as 1.5" in line and "'2,000' (line 3) as 2" in line
    assert "'3,250' (line 4) as 3.25" in line and "line 5: '1.500.000,50'" in line
    code, _, err = run_cli("import", path, "-o", tmp_path / "out" / "l.toml")
    assert code == 0, err
    (line,) = [w for w in err.splitlines() if "read with a decimal comma" in w]
    assert "'1,500' (row 2) as 1.5" in line and "row 5: '1.500.000,50'" in line
    text = (tmp_path / "out" / "l.toml").read_text(encoding="utf-8")
    got = sorted(Decimal(v.split('"')[1]) for v in text.splitlines()
                 if v.startswith("amount = "))
    assert got == [Decimal("1.5"), Decimal(2), Decimal("3.25"), Decimal("1500000.50")]


def test_a_default_reading_is_not_warned(tmp_path, run_cli):
    path = _bulk(tmp_path / "p.csv", ["1,500", "2,000", "1,500,000.50"])
    code, out, err = run_cli("balance", path, "--format", "csv")
    assert code == 0, err
    assert _total(out) == Decimal("1503500.50")
    assert "read with a decimal" not in err


def _dataset(root, parts):
    """A dataset of year partitions, each rows (id, amount cell)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for year, rows in parts.items():
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({
            "id": [r[0] for r in rows], "date": [f"{year}-01-01"] * len(rows),
            "funder": ["UK"] * len(rows), "purpose": [f"P{r[0]}" for r in rows],
            "amount": [r[1] for r in rows], "currency": ["GBP"] * len(rows)}),
            root / f"year={year}" / "part-0.parquet")
    return root


def test_a_dataset_decides_over_its_partitions_alike(tmp_path, run_cli):
    # the slip in 2021 no longer turns 2020's "1,500" into 1.5
    slip = _dataset(tmp_path / "h.parquet", {2020: [("a1", "1,500"), ("a2", "2,000")],
                                             2021: [("b1", "1.500,000")]})
    code, _, err = run_cli("balance", slip)
    assert code == 1 and "entry 'a1': error: amount: '1,500'" in err
    # a cell that says its mark in 2021 decides 2020's, and the warning says so:
    # 1.5 + 2 + 1500000.50
    said = _dataset(tmp_path / "a.parquet", {2020: [("a1", "1,500"), ("a2", "2,000")],
                                             2021: [("b1", "1.500.000,50")]})
    code, out, err = run_cli("balance", said, "--format", "csv")
    assert code == 0, err
    assert _total(out) == Decimal("1500004.00")
    (line,) = [w for w in err.splitlines() if "read with a decimal comma" in w]
    assert "'1,500' (line 2) as 1.5" in line and "year=2021/part-0.parquet line 2" in line
