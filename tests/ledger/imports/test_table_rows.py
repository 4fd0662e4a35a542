"""Import, row by row (ledger/imports/table.py read_csv_rows): a row with too many
or too few cells, or an oversized cell, is rejected on its own, named by its
row, with its text kept in the rejects file; the other rows are unaffected.
Rejects files are never overwritten."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.imports.table import MAX_CELL_CHARS, import_table

HEADER = "id,date,funder,purpose,amount\n"


def _good(i: int) -> str:
    return f"r{i},2015-01-{i % 28 + 1:02d},F{i},P{i},£{i + 1}m"


def _rejects(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_extra_and_short_rows_are_rejected_alone(tmp_path, run_cli):
    src = tmp_path / "rows.csv"
    src.write_text(HEADER + _good(1) + "\n" + _good(2) + ",EXTRA\n" + _good(3) + "\n"
                   + "r4,2015-01-04,UK\n" + _good(5) + "\n", encoding="utf-8")
    code, out, err = run_cli("import", src, "-o", tmp_path / "out.toml")
    assert code == 0, err
    assert f"{src}: row 3: 6 cells, the header has 5 (extra: 'EXTRA')" in err
    assert f"{src}: row 5: entry 'r4': 3 cells, the header has 5" in err
    assert "3 entries written" in err
    text = (tmp_path / "out.toml").read_text(encoding="utf-8")
    for i in (1, 3, 5):    # the rows after the bad ones keep their own cells
        assert f'id = "r{i}"\n' in text and f'funder = "F{i}"' in text and f'amount = "£{i + 1}m"' in text
    rejects = _rejects(tmp_path / "out.rejects.csv")
    assert [(r["row"], r["raw"]) for r in rejects] == [("3", _good(2) + ",EXTRA"),
                                                      ("5", "r4,2015-01-04,UK")]


def test_an_oversized_cell_rejects_its_row_only(tmp_path, run_cli):
    src = tmp_path / "big.csv"
    src.write_text("id,date,funder,purpose,amount,notes\n" + _good(1) + ",ok\n"
                   + _good(2) + "," + "x" * (MAX_CELL_CHARS + 1) + "\n" + _good(3) + ",ok\n",
                   encoding="utf-8")
    code, out, err = run_cli("import", src, "-o", tmp_path / "out.toml")
    assert code == 0, err
    assert f"{src}: row 3: entry 'r2': the cell in column 'notes' holds 100,001 characters" in err
    assert "2 entries written" in err
    assert [r["row"] for r in _rejects(tmp_path / "out.rejects.csv")] == ["3"]


def test_rejects_files_are_never_overwritten(tmp_path, run_cli):
    src = tmp_path / "rows.csv"
    out = tmp_path / "out.toml"
    src.write_text(HEADER + _good(1) + "\nbad,row\n", encoding="utf-8")
    assert run_cli("import", src, "-o", out)[0] == 0
    first = (tmp_path / "out.rejects.csv").read_bytes()
    src.write_text(HEADER + _good(7) + "\nother,bad,row\n", encoding="utf-8")
    code, _, err = run_cli("import", src, "-o", out)
    assert code == 0 and "out.rejects-2.csv" in err
    assert (tmp_path / "out.rejects.csv").read_bytes() == first
    assert _rejects(tmp_path / "out.rejects-2.csv")[0]["raw"] == "other,bad,row"


_ROW_KIND = st.sampled_from(["good", "good", "extra", "short", "blank", "trailing-empty"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(_ROW_KIND, min_size=1, max_size=12).filter(lambda k: set(k) != {"blank"}),
       extra=st.text(alphabet="abc;| ", min_size=1, max_size=5).filter(str.strip))
def test_no_row_is_shifted_or_lost(tmp_path_factory, kinds, extra):
    """Property: whatever rows have the wrong number of cells, every row is
    an entry holding its own cells or a reject naming its row, with its text."""
    lines, expect_ok, expect_bad = [HEADER.rstrip("\n")], {}, {}
    for i, kind in enumerate(kinds):
        row = i + 2
        if kind == "good":
            lines.append(_good(i)), expect_ok.__setitem__(f"r{i}", i)
        elif kind == "trailing-empty":
            lines.append(_good(i) + ",,"), expect_ok.__setitem__(f"r{i}", i)
        elif kind == "extra":
            lines.append(_good(i) + "," + extra), expect_bad.__setitem__(row, _good(i) + "," + extra)
        elif kind == "short":
            cut = ",".join(_good(i).split(",")[:3])
            lines.append(cut), expect_bad.__setitem__(row, cut)
        else:
            lines.append("")
    src = tmp_path_factory.mktemp("rows") / "t.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_table(src)
    got = {e.id: e for e in result.entries}
    assert set(got) == set(expect_ok)
    for eid, i in expect_ok.items():
        e = got[eid]
        assert (e.funder, e.purpose, e.amount_text) == (f"F{i}", f"P{i}", f"£{i + 1}m")
    assert {r.line for r in result.rejects} == set(expect_bad)
    assert {r.line: r.detail("raw") for r in result.rejects} == expect_bad
    assert result.rows == len(expect_ok) + len(expect_bad)
    if expect_bad:
        frame = result.rejects_frame()
        assert dict(zip(frame["row"], frame["raw"])) == expect_bad
