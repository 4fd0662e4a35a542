"""Once an import's journal is written, a Ctrl-C after it undoes
nothing: the new ledger's options and the archive copy its entries
cite stay (review30)."""
from __future__ import annotations

import os
import signal
import tomllib

import pytest

import ledger_tool.cmd_import as cmd_import
import ledger_tool.import_data as import_data
from tests.conftest import FIXTURES

PAGE = FIXTURES / "real" / "fts" / "location-171-2020-page-3.json"


@pytest.fixture(autouse=True)
def ctrl_c_raises():
    """Python's own Ctrl-C handler, whatever the test run inherited (a shell
    starts a background job with SIGINT ignored)."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


def test_ctrl_c_after_the_fts_journal_is_written(tmp_path, run_cli, monkeypatch):
    real = import_data.write_all_atomic

    def then_interrupted(*args, **kw):
        real(*args, **kw)
        os.kill(os.getpid(), signal.SIGINT)   # Ctrl-C as the write returns
    monkeypatch.setattr(import_data, "write_all_atomic", then_interrupted)
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", PAGE, "-o", book)
    assert code != 0 and "Traceback" not in err
    journal = tomllib.loads((book / "fts.toml").read_text(encoding="utf-8"))
    cited = {s["doc"] for e in journal["entry"] for s in e["source"]}
    docs = [d for f in book.glob("*.toml")
            for d in tomllib.loads(f.read_text(encoding="utf-8")).get("document", [])]
    assert {d["id"] for d in docs} >= cited
    assert (book / "ledger.toml").is_file()
    for d in docs:
        if d["id"] in cited:
            assert (book / "sources" / d["path"]).is_file(), d["path"]
    code, _, err = run_cli("check", book)
    assert code == 0, err


def test_ctrl_c_after_a_table_journal_is_written(tmp_path, run_cli, monkeypatch):
    real = cmd_import.append_entries

    def then_interrupted(*args, **kw):
        real(*args, **kw)
        os.kill(os.getpid(), signal.SIGINT)   # Ctrl-C as the write returns
    monkeypatch.setattr(cmd_import, "append_entries", then_interrupted)
    rows = tmp_path / "rows.csv"
    rows.write_text("id,date,funder,purpose,amount\n"
                    "a,2020-01-01,UK:HO,Port,GBP 100\nb,2020-02-01,UK:HO,Port,GBP 250\n"
                    "c,2020-02-01,UK:HO,Port,not money\n", encoding="utf-8")
    book = tmp_path / "book"
    code, _, err = run_cli("import", rows, "-o", book)
    assert code != 0 and "Traceback" not in err
    assert (book / "ledger.toml").is_file() and (book / "sources.toml").is_file()
    journal = tomllib.loads((book / "imported.toml").read_text(encoding="utf-8"))
    assert [e["id"] for e in journal["entry"]] == ["a", "b"]
    assert list(tmp_path.glob("*.rejects*.csv")) or list(book.glob("*.rejects*.csv"))
