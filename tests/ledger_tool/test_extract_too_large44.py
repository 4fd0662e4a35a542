"""ledger-tool extract: a figure of more than 28 digits is one error line
naming the document, line and column; the other figures and documents are
still read and the command exits 1 (fix44: it stopped the whole command)."""
from __future__ import annotations


def test_one_line_for_the_figure_and_the_rest_read(tmp_path, run_cli):
    a = tmp_path / "a.txt"
    a.write_text("The fund pledged £5 million in 2020.\n"
                 "Then £1234567890123456789012345678901 was promised.\n"
                 "And €3m over 2 years.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("USD 2m a year.\n", encoding="utf-8")
    code, out, err = run_cli("extract", a, b, "--format", "csv")
    assert code == 1
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if "1234567890123456789012345678901" in x]
    assert len(lines) == 1 and f"{a}:2:6: " in lines[0], err
    # the figures before and after it, and the next document, are read
    assert "5000000" in out and "3000000" in out and "2000000" in out, out
