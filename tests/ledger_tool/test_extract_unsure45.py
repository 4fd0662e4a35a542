"""ledger-tool extract: digits said with a figure and not read in it, and a
dot that may group thousands in a sentence with a decimal comma, get one
warning line naming the document, line and column; the CSV is the reading
as before fix45 (review45)."""
from __future__ import annotations

import csv


def test_one_warning_line_per_figure_not_sure_of(tmp_path, run_cli):
    doc = tmp_path / "a.txt"
    doc.write_text("The fund pledged £5 million in 2020.\n"
                   "Then £1 million 200 thousand went to the fund.\n"
                   "Liberia 5 million 700 dollars per capita.\n"
                   "The EU gave €250.000 and €1,5 million.\n", encoding="utf-8")
    code, out, err = run_cli("extract", doc, "--format", "csv")
    assert code == 0 and "Traceback" not in err
    warned = [x for x in err.splitlines() if "warning" in x]
    assert len(warned) == 3, err
    assert f"{doc}:2:6: '£1 million': read as 1000000 GBP; '200 thousand'" in warned[0]
    assert (f"{doc}:3:19: '700 dollars': read as 700 USD; '5 million' right before it "
            "is not read as part of it") in warned[1]
    assert (f"{doc}:4:13: '€250.000': read as 250 EUR; the same sentence writes '1,5' "
            "with a decimal comma: check") in warned[2]
    rows = list(csv.reader(out.splitlines()))[1:]
    # by hand: 5 × 10^6, 1 × 10^6, 700, 250 (a decimal point), 1.5 × 10^6
    assert [r[4] for r in rows] == ["5000000", "1000000", "700", "250", "1500000"]
