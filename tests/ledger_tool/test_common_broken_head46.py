"""A one-file ledger over HEAD_BYTES whose head is another table (a tool's
config) and which cannot be parsed after it counts, as ``journal_parse``
counts it, as a ledger that cannot be read to tell: its archive beside it
keeps its documents (fix46; ``is_journal_head`` alone said no)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ledger.read.folder import HEAD_BYTES, is_journal_head
from ledger.read.journal import journal_parse

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"


def _big(head_table: str, tail: str) -> str:
    pad = "".join(f'k{i} = "{"x" * 60}"\n' for i in range(HEAD_BYTES // 60 + 10))
    return (f"[{head_table}]\n{pad}\n[[document]]\nid = \"a\"\ntitle = \"t\"\npublisher = \"p\"\n"
            f"published = 2024-01-01\npath = \"a.txt\"\nsha256 = \"{'0' * 64}\"\n{tail}")


@pytest.mark.parametrize("tail", ["[[entry]\n", 'x = "unclosed\n'])
def test_the_archive_of_a_big_journal_broken_after_a_foreign_head_is_kept(tmp_path, run_cli, tail):
    w = tmp_path / "w"
    (w / "sources").mkdir(parents=True)
    book = w / "book.toml"
    book.write_text(_big("tool.foo", tail), encoding="utf-8")
    assert book.stat().st_size > HEAD_BYTES
    # the documented difference: the head says no, the whole parse counts it
    assert not is_journal_head(book, w) and journal_parse(book, w) is not None
    doc = w / "sources" / "a.txt"
    doc.write_text("the document\n", encoding="utf-8")
    code, _, err = run_cli("export", HARBOUR, "-o", doc, "--to", "csv", "--force")
    assert code == 1 and "source archive" in err and str(book) in err, err
    assert doc.read_text("utf-8") == "the document\n"


def test_a_big_config_whole_is_still_no_ledger(tmp_path, run_cli):
    w = tmp_path / "w"
    (w / "sources").mkdir(parents=True)
    cfg = w / "tool.toml"
    cfg.write_text(_big("tool.foo", "").replace("[[document]]", "[[tool.document]]"),
                   encoding="utf-8")
    assert journal_parse(cfg, w) is None
    old = w / "sources" / "old.csv"
    old.write_text("x\n", encoding="utf-8")
    code, _, err = run_cli("export", HARBOUR, "-o", old, "--to", "csv", "--force")
    assert code == 0, err
