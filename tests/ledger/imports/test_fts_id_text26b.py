"""The search of archived FTS downloads for the import's flow ids (before
parsing them) finds every id the parser reads: an escape inside the
value, white space the parser strips, a number longer than any fixed cap
(review26)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.ledger.imports.test_fts_fold19b import _counted, _flow, _run
from tests.ledger.imports.test_fts_uncited_zero26 import _import, _write

LONG = '"id": 0.' + "0" * 57 + "100000E63"   # 100000, 68 characters


@pytest.mark.parametrize("written", ['"id": "\\t100000"', '"id": "100000\\n"',
                                     '"id": "\\r100000"', '"id": " 100000\\u0020"',
                                     '"id": "\\u00a0100000"', '"id": "\\u3000100000"',
                                     '"id": "\u00a0100000"', LONG],
                         ids=["tab", "newline", "return", "u0020", "nbsp-escaped",
                              "ideographic-escaped", "nbsp", "long-number"])
def test_the_zero_of_an_id_written_so_is_remembered(tmp_path, written):
    """A download gives flow 100000 at version 2 as 0 (its id written
    ``written``), nothing else; an older copy at version 1 (US$1,000) and
    flow 902 (US$302) imported after it in another command count 302: by
    hand, version 2's 0 supersedes version 1."""
    text = ('{"data": {"flows": [{"id": "ID", "versionId": 2, "status": "paid", '
            '"date": "2020-03-01", "amountUSD": 0, "boundary": "incoming", '
            '"onBoundary": "single"}]}}').replace('"id": "ID"', written)
    zero = tmp_path / "zero.json"
    zero.write_text(text, encoding="utf-8")
    book = tmp_path / "book"
    code, err = _run("import", "--from", "fts", zero, "-o", book)
    assert code == 0 and "gives 1 flow as 0" in err, err
    _import(_write(tmp_path / "old.json", _flow("100000", 1, None, 1000),
                   _flow("902", 1, None, 302)), book)
    assert _counted(book) == Decimal(302)


def test_removing_a_kept_zero_needs_force(tmp_path):
    """The document an import keeps for its copies of 0 (no entry cites
    it) is removed only with --force: without it, the older copy imported
    later would count again (US$1,302 where the two downloads give 302)."""
    book = tmp_path / "book"
    _import(_write(tmp_path / "zero.json", _flow("901", 2, None, 0)), book)
    docs = [p.stem for p in (book / "sources").iterdir() if p.name.startswith("fts-zero-")]
    assert len(docs) == 1
    code, err = _run("sources", "remove", "--ledger", book, docs[0])
    assert code == 1 and "keeps an FTS download's copies of 0 (1 flow)" in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    _import(_write(tmp_path / "old.json", _flow("901", 1, None, 1000),
                   _flow("902", 1, None, 302)), book)
    assert _counted(book) == Decimal(302)
    code, err = _run("sources", "remove", "--ledger", book, docs[0], "--force")
    assert code == 0, err
