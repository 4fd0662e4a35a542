"""ledger.read.table's rules across entries on a journal with more links than
the rule engine reads ids for one at a time: every link's problem names its
own entry, line and target (the expectations are written from the TOML text
made here)."""
from __future__ import annotations

from pathlib import Path

from ledger.read.journal_columns import read_journal_frame

DOCS = '[[document]]\nid = "d1"\ntitle = "Announcement"\n'


def _entry(k: int, link: str = "", locator: str = "") -> str:
    return (f'\n[[entry]]\nid = "e-{k}"\ndate = 2020-01-01\nfunder = "UK:Home Office"\n'
            f'purpose = "Aid:Camp {k}"\namount = "£{k + 1}"\nstatus = "pledged"\n'
            + (f'disburses = "{link}"\n' if link else "")
            + f'  [[entry.source]]\n  doc = "d1"\n  quote = "£{k + 1}"\n'
            + (f'  locator = "{locator}"\n' if locator else ""))


def test_each_link_named_at_its_own_entry(tmp_path: Path):
    # 300 entries: even ones link to themselves, odd ones to an entry not there
    n = 300
    d = tmp_path / "book"
    d.mkdir()
    (d / "sources.toml").write_text(DOCS, encoding="utf-8")
    text = "".join(_entry(k, f"e-{k}" if k % 2 == 0 else f"gone-{k}") for k in range(n))
    (d / "entries.toml").write_text(text, encoding="utf-8")
    heads = [i + 1 for i, line in enumerate(text.splitlines()) if line == "[[entry]]"]
    got, _ = read_journal_frame(d)
    assert got is not None
    found = sorted((p.line, p.entry_id, p.message) for p in got.problems)
    assert found == sorted(
        (heads[k], f"e-{k}", "disburses links the entry to itself" if k % 2 == 0
         else f"disburses names a missing entry 'gone-{k}'") for k in range(n))


def test_records_apart_among_many_pairs(tmp_path: Path):
    # 100 pairs of one figure: each pair cites d1, at places of its own in the
    # even pairs (two records: no warning), at the same place in the odd ones
    d = tmp_path / "book"
    d.mkdir()
    (d / "sources.toml").write_text(DOCS, encoding="utf-8")
    text = ""
    for k in range(100):
        one = _entry(k, locator=f"row {k}")
        text += one + one.replace(f'id = "e-{k}"', f'id = "f-{k}"').replace(
            f'locator = "row {k}"', f'locator = "row {k if k % 2 else k + 1000}"')
    (d / "entries.toml").write_text(text, encoding="utf-8")
    got, _ = read_journal_frame(d)
    assert got is not None
    warned = sorted(p.entry_id for p in got.problems if p.code == "probable-duplicate")
    assert warned == sorted(f"f-{k}" for k in range(1, 100, 2))
