"""Citation cells: a quote cell nested deep is read as a plain cell, never
handed to json (which recurses once per level: hunt20 r2's traceback)."""
from __future__ import annotations

from ledger.imports.cells import cell_citations, citations_cell


def test_a_deeply_nested_cell_is_a_plain_cell():
    deep = "[" * 1000 + "]" * 1000
    assert cell_citations(deep) is None
    assert cell_citations('["a", "b"]') == ["a", "b"]
    assert cell_citations('[["a"]]') is None
    assert citations_cell([deep]) == deep     # the export writes it as it is, one value


def test_importing_a_quote_cell_of_deep_brackets_says_no_traceback(tmp_path, run_cli):
    deep = "[" * 1000 + "]" * 1000
    csv = tmp_path / "deep.csv"
    csv.write_text("id,date,funder,purpose,amount,currency,source,quote\n"
                   f'x1,2024-01-01,UK:A,P:B,100,GBP,doc1,"{deep}"\n', encoding="utf-8")
    code, out, err = run_cli("import", csv, "-o", tmp_path / "out/", "-n")
    assert "Traceback" not in out + err and "RecursionError" not in out + err
    assert code == 0 and "1 entry would be written" in err
