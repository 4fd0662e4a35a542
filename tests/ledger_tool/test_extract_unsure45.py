"""ledger-tool extract: digits said with a figure and not read in it get
one warning line naming the document, line and column (fix45: "£1 million
200 thousand went to …" read £1m and said nothing); the CSV is unchanged."""
from __future__ import annotations


def test_one_warning_line_per_figure_not_sure_of(tmp_path, run_cli):
    doc = tmp_path / "a.txt"
    doc.write_text("The fund pledged £5 million in 2020.\n"
                   "Then £1 million 200 thousand went to the fund.\n"
                   "Liberia 5 million 700 dollars per capita.\n", encoding="utf-8")
    code, out, err = run_cli("extract", doc, "--format", "csv")
    assert code == 0 and "Traceback" not in err
    warned = [x for x in err.splitlines() if "warning" in x]
    assert len(warned) == 2, err
    assert f"{doc}:2:6: '£1 million': read as 1000000 GBP; '200 thousand'" in warned[0]
    assert f"{doc}:3:9: '5 million 700 dollars': read as 5000700 USD;" in warned[1]
    assert "'700 dollars'" in warned[1]
    rows = out.splitlines()[1:]
    assert [r.split(",")[4] for r in rows] == ["5000000", "1000000", "5000700"]
