"""A flow of 0 and a refused flow, each given unchanged by every page of a
folder, are reported once, from the first page: the others say they give
them again, read once (docs/interop.md)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from tests.ledger.imports.test_fts_fold_once19d import _flow, _run


def test_repeated_zero_and_refused_reported_once(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = 3
    for n in range(pages):
        flows = [_flow(str(800 + n), 1, 10 + n), _flow("901", 1, 0),
                 dict(_flow("902", 1, 5), status="maybe")]
        (folder / f"{n}.json").write_text(json.dumps({"meta": {"count": 3},
                                                      "data": {"flows": flows}}))
    code, err = _run("import", "--from", "fts", folder, "-o", tmp_path / "book")
    assert code == 0, err
    summary = re.search(r"(\d+) new, \d+ updated, \d+ unchanged, (\d+) rejected, "
                        r"(\d+) skipped", err)
    assert summary and summary.groups() == (str(pages), "1", "1"), err
    again = re.findall(r"(\d+) flows given again, the same in every field, by (\S+): "
                       r"each read once", err)
    assert again == [("2", str(folder / "0.json"))] * (pages - 1), err
