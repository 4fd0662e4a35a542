"""Ledgers for the audit's provenance tests (test_*16.py): documents and
entries written by the test, or the example ledger with entries added."""
from __future__ import annotations

import json
import shutil


def ledger_of(tmp_path, run_cli, docs: dict[str, str], entries: str):
    """A new ledger archiving each ``docs`` file (name: text; its id is the
    name without its extension) and holding the TOML ``entries``."""
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    for name, text in docs.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, _, err = run_cli("sources", "add", path, "--ledger", book,
                               "--id", path.name.split(".")[0], "--title", name,
                               "--publisher", "P", "--published", "2015-01-01")
        assert code == 0, err
    (book / "pledges.toml").write_text(entries, encoding="utf-8")
    return book


def example_with(tmp_path, example_ledger, entries: str):
    """A copy of the example ledger with the TOML ``entries`` added at the
    end of its pledges."""
    book = tmp_path / "calais"
    shutil.copytree(example_ledger, book)
    with open(book / "pledges.toml", "a", encoding="utf-8") as fh:
        fh.write("\n" + entries)
    return book


def audited(run_cli, book, *args) -> tuple[dict, list[dict]]:
    """``audit --format json``: (each figure by entry id, the findings)."""
    code, out, err = run_cli("audit", book, "--format", "json", *args)
    assert out, err
    data = json.loads(out)
    return {f["entry"]: f for f in data["figures"]}, data["findings"]


def codes(findings: list[dict], entry: str) -> set[tuple[str, str]]:
    """(severity, code) of an entry's findings."""
    return {(f["severity"], f["code"]) for f in findings if f["entry"] == entry}
