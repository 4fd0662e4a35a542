"""A ledger exported to CSV (``export --to csv``) and imported back
(``import -o`` / ``--to D.parquet``) gives the same entries and totals as
the original ledger, also when a spreadsheet program or a user drops
columns the import does not strictly need."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import ledger

SPLIT_LEDGER = (
    '[[entry]]\nid = "pkg"\ndate = 2016-03-03\nfunder = "UK:Home Office"\n'
    'amount = "£17 million"\n'
    '  [[entry.split]]\n  purpose = "Security:Calais port"\n  amount = "10000000"\n'
    '  [[entry.split]]\n  purpose = "Humanitarian:Calais"\n  amount = "7000000"\n\n'
    '[[entry]]\nid = "one"\ndate = 2016-05-01\nfunder = "France:Interior"\n'
    'purpose = "Humanitarian:Calais"\namount = "€2.5 million"\n')


def _export(tmp_path: Path, run_cli, journal: Path) -> list[dict]:
    out = tmp_path / "x.csv"
    code, _, err = run_cli("export", journal, "--to", "csv", "-o", out)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[dict], drop: tuple[str, ...] = ()) -> Path:
    fields = [c for c in rows[0] if c not in drop]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def _figures(entries) -> dict[str, tuple]:
    """Each entry's amount, currency and parts, as the journal holds them."""
    return {e.id: (e.amount, e.currency, sorted(e.postings()))
            for e in entries}


def test_a_split_entry_without_amount_text_takes_entry_amount(tmp_path, run_cli):
    journal = tmp_path / "src.toml"
    journal.write_text(SPLIT_LEDGER, encoding="utf-8")
    rows = _export(tmp_path, run_cli, journal)
    assert [r["entry_amount"] for r in rows if r["id"] == "pkg"] == ["17000000"] * 2
    table = _write(tmp_path / "plain.csv", rows, drop=("amount_text",))
    (tmp_path / "back").mkdir()
    back = tmp_path / "back" / "back.toml"
    code, _, err = run_cli("import", table, "-o", back)
    assert code == 0 and "split does not add up" not in err, err
    original = ledger.load(journal).entries
    assert _figures(ledger.load(back).entries) == _figures(original)
    assert _figures(original)["pkg"][0] == Decimal(17_000_000)
