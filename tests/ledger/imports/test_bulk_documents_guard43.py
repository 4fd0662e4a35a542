"""The dataset's _documents.csv is written with the formula guard of every
CSV output and read back without it (hunt20 r4: a title from the input
file's name, "=HYPERLINK(...)", was written raw)."""
from __future__ import annotations

import csv
import shutil

import ledger
from ledger.csv_guard import guard, unguard
from tests.conftest import FIXTURES

NAME = '=HYPERLINK("http:__x","y")'


def test_a_formula_title_is_guarded_in_the_file_and_read_back_as_it_was(tmp_path, run_cli):
    data = tmp_path / f"{NAME}.json"
    shutil.copy(FIXTURES / "fts" / "flows.json", data)
    ds = tmp_path / "ds.parquet"
    code, _, err = run_cli("import", "--from", "fts", data, "--to", ds)
    assert code in (0, 1) and ds.is_dir(), err
    with open(ds / "_documents.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == [f"'{NAME}.json (FTS)"]
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    titles = [d.title for d in ledger.load(ds).documents.values()]
    assert titles == [f"{NAME}.json (FTS)"]


def test_unguard_undoes_guard():
    for text in ("=1+1", "-x", "'-x", "''=x", "'x", "x", "-5", "@a", "\tq", ""):
        assert unguard(guard(text)) == text


# review43 D2: only the rows ledger-tool wrote with the guard are unguarded

def test_a_hand_written_or_older_title_keeps_its_apostrophe(tmp_path):
    from ledger.read.documents import read_documents

    hand = "'-5% cut (hand-written)"
    bulk = tmp_path / "B.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency\n", encoding="utf-8")
    ds = tmp_path / "D.parquet"
    ds.mkdir()
    for name, text in ((tmp_path / "B.documents.csv", f"id,title\nd1,\"{hand}\"\n"),
                       (ds / "_documents.csv", f"id,title\nd1,\"{hand}\"\n")):
        name.write_text(text, encoding="utf-8")
    for ledger_path in (bulk, ds):
        docs, _ = read_documents(ledger_path)
        assert docs is not None and docs["d1"].title == hand, ledger_path
    # the writer's mark: that row unguarded, one added by hand without it not
    # (in the dataset's file, or a bulk table's its rows were copied to)
    for name, ledger_path in ((ds / "_documents.csv", ds), (tmp_path / "B.documents.csv", bulk)):
        name.write_text(f"id,title,guarded\nd1,{guard('-x')},yes\nd2,\"{hand}\",\n",
                        encoding="utf-8")
        docs, problems = read_documents(ledger_path)
        assert not problems and docs is not None
        assert (docs["d1"].title, docs["d2"].title) == ("-x", hand)
