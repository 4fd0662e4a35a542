"""An FTS re-import that updates a flow's entry keeps what the user added to
it: flow 204307 of location 171 / 2020 (tests/fixtures/real/fts, the
earlier download in earlier/) went from EUR 9,900,001 at version 4 to
EUR 4,107,839 at version 5; the user had given it a recipient FTS does not
give, a comment, a tag, a remark and a citation of their own.  The figures
are read from the raw JSON (json + Decimal), never from the importer."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import ledger
from tests.conftest import FIXTURES

REAL = FIXTURES / "real" / "fts"
LATER = sorted(REAL.glob("location-171-2020-page-*.json"))
EARLIER = REAL / "earlier" / "location-171-2020-page-1.json"
FLOW = "fts-204307"


def _flows(pages: list[Path]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for p in pages:
        data = json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
        out.update((str(f["id"]), f) for f in data["data"]["flows"])
    return out


def _counts(f: dict) -> bool:
    return f["boundary"] == "incoming" and f["onBoundary"] == "single" and \
        f["status"] in ("commitment", "paid") and f["amountUSD"] > 0


def _import(run_cli, source: Path, book: Path) -> str:
    code, _, err = run_cli("import", "--from", "fts", source, "-o", book)
    assert code == 0, err
    return err


def _edited(tmp_path: Path, run_cli) -> Path:
    book = tmp_path / "led"
    _import(run_cli, EARLIER, book)
    journal = book / "fts.toml"
    text = journal.read_text(encoding="utf-8")
    head = f'id = "{FLOW}"\n'
    assert text.count(head) == 1
    at = text.index(head)
    entry = text[at:text.index("[[entry.source]]", at)]
    assert "recipient = " not in entry        # FTS gives none for this flow
    tags = entry[entry.index("tags = ["):entry.index("]\n", entry.index("tags = ["))]
    notes = entry[entry.index('notes = "'):entry.index('"\n', entry.index('notes = "'))]
    mine = (entry.replace(head, head + "# checked against the EU report\n"
                          'recipient = "UNRWA (my research)"  # my own\n')
            .replace(tags, tags + ', "echo-check"')
            .replace(notes, notes + "; to compare with ECHO's list"))
    journal.write_text(text.replace(entry, mine), encoding="utf-8")
    (book / "r.txt").write_text("report says 9,900,001 EUR to oPt\n", encoding="utf-8")
    code, _, err = run_cli("sources", "add", "--ledger", book, "--title", "R", "--publisher", "me",
                           "--published", "2020-01-01", "--id", "rep", book / "r.txt")
    assert code == 0, err
    code, _, err = run_cli("cite", book, FLOW, "--source", "rep", "--quote", "9,900,001")
    assert code == 0, err
    return book


def _later_folder(tmp_path: Path) -> Path:
    new = tmp_path / "new"
    new.mkdir(parents=True)
    for p in LATER:
        shutil.copyfile(p, new / p.name)
    return new


def test_a_newer_version_keeps_the_users_recipient_citation_tag_remark_and_comments(
        tmp_path, run_cli):
    book = _edited(tmp_path, run_cli)
    err = _import(run_cli, _later_folder(tmp_path), book)
    later, earlier = _flows(LATER), _flows([EARLIER])
    f = later["204307"]
    assert (earlier["204307"]["versionId"], f["versionId"]) == (4, 5)
    assert not [o for o in f["destinationObjects"] if o["type"] == "Organization"]
    (e,) = [e for e in ledger.load(book).entries if e.id == FLOW]
    # the newer version's figures and citations
    assert (e.amount, e.currency) == (f["originalAmount"], f["originalCurrency"]) \
        == (Decimal(4107839), "EUR")
    assert [c.locator.split(";")[0] for c in e.sources if c.doc.startswith("fts-")] == [
        "flow 204307 version 5"] * 2
    # the user's, kept
    assert e.recipient == "UNRWA (my research)"
    assert [(c.doc, c.quote) for c in e.sources if c.doc == "rep"] == [("rep", "9,900,001")]
    assert "echo-check" in e.tags and "fts-version-5" in e.tags and "fts-version-4" not in e.tags
    assert e.notes.endswith("; to compare with ECHO's list")
    text = (book / "fts.toml").read_text(encoding="utf-8")
    assert (f'id = "{FLOW}"\n# checked against the EU report\n'
            'recipient = "UNRWA (my research)"  # my own\n') in text
    # said, naming the entry and what was kept
    mine = [ln for ln in err.splitlines() if f"'{FLOW}'" in ln]
    assert any("recipient 'UNRWA (my research)' kept" in ln for ln in mine), mine
    assert any("'rep'" in ln and "9900001 EUR" in ln and "4107839 EUR" in ln for ln in mine)
    # the total is FTS's own for the later download, plus the flows only the
    # earlier one counts (a download may be filtered: docs/interop.md)
    total = sum((x["amountUSD"] for x in later.values() if _counts(x)), Decimal(0)) + \
        sum((x["amountUSD"] for k, x in earlier.items() if _counts(x) and k not in later),
            Decimal(0))
    code, out, err = run_cli("balance", book, "--currency", "USD", "--valuation", "as-stated",
                             "--status", "committed", "--status", "disbursed", "--format", "csv")
    assert code == 0, err
    (row,) = [r for r in out.splitlines() if r.startswith("(total),")]
    assert Decimal(row.split(",")[1]) == total
    # the same download again, or the earlier one: not a byte changes
    after = (book / "fts.toml").read_bytes()
    for again in (_later_folder(tmp_path / "again"), EARLIER):
        err = _import(run_cli, again, book)
        assert (book / "fts.toml").read_bytes() == after
        assert " 0 updated, " in err
