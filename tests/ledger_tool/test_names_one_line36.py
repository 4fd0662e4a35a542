"""A file's name with a line break (a journal named
``bad\\nledger-tool: all clear, 0 error(s)\\n.toml``) is printed on one
line, its line breaks shown as ``\\x0a``: by ``check`` (``ledger.model.said``,
where every problem's line is made, and the summary) and by ``extract``
(its messages and table); it cannot print a forged line."""
from __future__ import annotations

import shutil
from pathlib import Path

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
FORGED = "ledger-tool: all clear, 0 error(s)"


def test_check_shows_a_names_line_break_escaped(run_cli, tmp_path):
    book = tmp_path / "b\nledger-tool: ok"
    shutil.copytree(HARBOUR, book)
    (book / f"bad\n{FORGED}\n.toml").write_text("x = \n", encoding="utf-8")
    code, out, err = run_cli("check", book)
    assert code == 1
    lines = (out + err).splitlines()
    assert not any(ln.startswith(FORGED) or ln.startswith("ledger-tool: ok") for ln in lines), lines
    assert any("bad\\x0aledger-tool: all clear" in ln and ": error: " in ln for ln in lines), lines
    assert lines[-1].startswith(str(tmp_path / "b\\x0aledger-tool: ok")), lines


def test_extract_shows_a_names_line_break_escaped(run_cli, tmp_path):
    empty = tmp_path / f"e\n{FORGED}\n.txt"
    empty.write_text("nothing here\n", encoding="utf-8")
    doc = tmp_path / f"d\n{FORGED}\n.txt"
    doc.write_text("The council pledged £5 million.\n", encoding="utf-8")
    code, out, err = run_cli("extract", empty, doc)
    assert code == 0, err
    lines = (out + err).splitlines()
    assert not any(ln.startswith(FORGED) or ln.startswith(".txt") for ln in lines), lines
    assert len(out.splitlines()) == 2          # the table's header and one row
    assert "d\\x0aledger-tool: all clear" in out.splitlines()[1]


def test_an_output_name_with_line_breaks_is_said_on_one_line(run_cli, tmp_path):
    """The names a user types for outputs too (review3638): "written to",
    "exists; give --force", report's "wrote" and import's lines print them
    with their line breaks escaped."""
    out = tmp_path / f"o\n{FORGED}\n.csv"
    for argv, code_wanted in (((HARBOUR, "--to", "csv", "-o", out), 0),
                              ((HARBOUR, "--to", "csv", "-o", out), 1)):
        code, _, err = run_cli("export", *argv)
        assert code == code_wanted, err
        assert not any(ln.startswith(FORGED) or ln.startswith(".csv") for ln in err.splitlines()), err
        assert "o\\x0aledger-tool: all clear" in err
    report = tmp_path / f"r\n{FORGED}"
    code, _, err = run_cli("report", HARBOUR, "--out", report)
    assert code == 0, err
    assert not any(ln.startswith(FORGED) for ln in err.splitlines()), err
    src = tmp_path / "a.csv"
    src.write_text("id,date,funder,purpose,amount,currency\nx1,2020-01-01,UK,Aid,5,GBP\n",
                   encoding="utf-8")
    journal = tmp_path / f"j\n{FORGED}\n.toml"
    code, _, err = run_cli("import", src, "-o", journal)
    assert code == 0, err
    assert not any(ln.startswith(FORGED) or ln.startswith(".toml") for ln in err.splitlines()), err
