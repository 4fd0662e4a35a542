"""Import, reading an XLSX's merged cells (ledger/imports/table.py _merged_down):
from the sheet's XML, in the one read of the workbook, the same ranges as
openpyxl's full load finds."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ledger.errors import LedgerError
from ledger.imports.table import import_table, read_table

HEADER = ["id", "date", "funder", "purpose", "amount", "currency"]


def _book(rows, merges=(), title="Pledges"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    return wb


def _rewrite(path: Path, change) -> None:
    """The workbook at ``path`` with its members changed by ``change(dict)``."""
    with zipfile.ZipFile(path) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    change(items)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in items.items():
            z.writestr(k, v)


def _full_load(path: Path, title: str) -> list[tuple[int, int, int]]:
    """The merged ranges down one column below the header, by openpyxl's full
    load of the workbook, in the table's counting."""
    ws = openpyxl.load_workbook(path)[title]
    return sorted((m.min_row - 2, m.max_row - 1, m.min_col - 1) for m in ws.merged_cells.ranges
                  if m.min_col == m.max_col and m.min_row >= 2 and m.max_row > m.min_row)


SPLIT = [["s1", "2019-03-01", "UK", "Health", 10, "GBP"], [None, None, None, "Port", 30, None],
         ["s2", "2019-03-02", "FR", "Port", 40, "EUR"]]


def test_a_merged_workbook_is_loaded_once(tmp_path, monkeypatch):
    """The merged cells come from the one read-only load pandas makes: the
    workbook was loaded a second time, in full, when any sheet had a merged
    cell (50,000 rows x 10 columns: 9.4 -> 16.9 s, 240 -> 426 MB)."""
    _book(SPLIT, [f"{c}2:{c}3" for c in "ABCF"]).save(tmp_path / "m.xlsx")
    loads = []
    real = openpyxl.load_workbook

    def counted(*args, **kwargs):
        loads.append(kwargs.get("read_only", False))
        return real(*args, **kwargs)
    monkeypatch.setattr(openpyxl, "load_workbook", counted)   # pandas imports it when reading
    res = import_table(tmp_path / "m.xlsx")
    assert [(e.id, e.amount) for e in res.entries] == [("s1", Decimal("40")), ("s2", Decimal("40"))]
    assert loads == [True], loads


def test_the_merges_are_the_read_sheets_even_when_its_part_is_named_out_of_order(tmp_path):
    """The first tab's XML part is sheet2.xml: its merged cells are the ones
    filled, not those of the part named sheet1.xml (the second tab)."""
    wb = _book(SPLIT, [f"{c}2:{c}3" for c in "ABCF"], title="First")
    ws = wb.create_sheet("Second")
    ws.append(HEADER)
    ws.append(["t1", "2019-05-01", "IT", "Health", 7, "EUR"])
    ws.append([None, "2019-05-02", "IT", "Port", 8, "EUR"])
    ws.merge_cells("A2:A3")
    path = tmp_path / "swapped.xlsx"
    wb.save(path)

    def swap(items):
        one, two = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
        items[one], items[two] = items[two], items[one]
        rels = items["xl/_rels/workbook.xml.rels"].decode()
        items["xl/_rels/workbook.xml.rels"] = (rels.replace(one[3:], "@").replace(two[3:], one[3:])
                                               .replace("@", two[3:]).encode())
    _rewrite(path, swap)
    assert openpyxl.load_workbook(path).sheetnames == ["First", "Second"]
    res = import_table(path)
    assert [(e.id, e.amount) for e in res.entries] == [("s1", Decimal("40")), ("s2", Decimal("40"))]
    assert not res.rejects, res.messages()
    # the second tab: its id merged down, two dates (two pledges' rows, refused as one)
    res = import_table(path, sheet="Second")
    assert res.entries == [] and sorted({r.line for r in res.rejects}) == [2, 3]
    assert read_table(path, "Second").merged == [(0, 2, 0)] == _full_load(path, "Second")


def test_merges_only_on_another_sheet_fill_nothing(tmp_path):
    wb = _book([SPLIT[0], ["s1", "2019-03-01", "UK", "Port", 30, "GBP"]], title="First")
    ws = wb.create_sheet("Second")
    ws.append(HEADER)
    ws.append(SPLIT[0])
    ws.append(SPLIT[1])
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "other.xlsx")
    got = read_table(tmp_path / "other.xlsx")
    assert got.merged == []
    assert read_table(tmp_path / "other.xlsx", "Second").merged == [(0, 2, 0)]


def test_merges_written_with_a_namespace_prefix_are_found(tmp_path):
    """Some writers prefix the spreadsheet namespace (``<x:mergeCell>``)."""
    path = tmp_path / "prefixed.xlsx"
    _book(SPLIT, [f"{c}2:{c}3" for c in "ABCF"]).save(path)

    def prefix(items):
        xml = items["xl/worksheets/sheet1.xml"].decode()
        xml = re.sub(r"<(/?)(?!\?)([A-Za-z]+)", r"<\1x:\2", xml)
        xml = xml.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                          'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 1)
        items["xl/worksheets/sheet1.xml"] = xml.encode()
    _rewrite(path, prefix)
    assert "<x:mergeCell " in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert read_table(path).merged == _full_load(path, "Pledges") == [(0, 2, c) for c in (0, 1, 2, 5)]


def test_a_merged_range_that_is_not_a_range_is_one_line(tmp_path):
    path = tmp_path / "bad.xlsx"
    _book(SPLIT, ["A2:A3"]).save(path)

    def spoil(items):
        items["xl/worksheets/sheet1.xml"] = items["xl/worksheets/sheet1.xml"].replace(
            b'ref="A2:A3"', b'ref="A2:nowhere"')
    _rewrite(path, spoil)
    with pytest.raises(LedgerError) as err:
        import_table(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: cannot read as XLSX") and "A2:nowhere" in msg, msg
    assert "\n" not in msg


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheets=st.lists(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 12), st.integers(0, 2),
                                          st.integers(0, 3)), max_size=6),
                       min_size=1, max_size=3),
       read=st.integers(0, 2))
def test_the_ranges_read_are_those_of_openpyxls_full_load(tmp_path_factory, sheets, read):
    """Random merged ranges (down, across, both, in the header, past the
    last row) on several sheets: the ranges read for the sheet imported are
    those openpyxl's full load of the workbook lists (computed here)."""
    wb = openpyxl.Workbook()
    titles = []
    for k, merges in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = f"S{k}"
        titles.append(ws.title)
        ws.append(HEADER)
        for r in range(10):
            ws.append([f"e{r}", "2019-03-01", "UK", f"P{r}", r + 1, "GBP"])
        taken: set[tuple[int, int]] = set()
        for col, row, width, height in merges:
            cells = {(c, r) for c in range(col, col + width + 1) for r in range(row, row + height + 1)}
            if cells & taken or (width == height == 0):
                continue      # overlapping ranges are not a workbook Excel writes
            taken |= cells
            ws.merge_cells(start_row=row, start_column=col, end_row=row + height,
                           end_column=col + width)
    path = tmp_path_factory.mktemp("merged") / "m.xlsx"
    wb.save(path)
    title = titles[read % len(titles)]
    assert read_table(path, title).merged == _full_load(path, title)
    assert read_table(path).merged == _full_load(path, titles[0])
