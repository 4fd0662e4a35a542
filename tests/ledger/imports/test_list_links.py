"""`list --format csv` as an import source (docs/interop.md): its `links`
column (KIND=ID; ...) read into disburses / part_of / restates, and a split
entry's purposes cell (PURPOSE=AMOUNT; ...) into its splits.  The links
were dropped with a note, so a disbursement was counted on top of its pledge
(£19m against £12m), and a split entry became one purpose named
"Sec=6000000; Hum=4000000"."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import ledger

LEDGER = """\
[ledger]
name = "rt"
currency = "GBP"

[[entry]]
id = "a"
date = 2015-03-10
funder = "UK"
purpose = "Sec"
amount = "£12m"

[[entry]]
id = "e"
date = 2016-05-01
funder = "UK"
purpose = "Sec"
amount = "£7m"
status = "disbursed"
disburses = "a"

[[entry]]
id = "pkg"
date = 2016-01-01
funder = "FR"
amount = "£10m"
  [[entry.split]]
  purpose = "Sec"
  amount = "£6m"
  [[entry.split]]
  purpose = "Hum"
  amount = "£4m"

[[entry]]
id = "ph1"
date = 2016-02-01
funder = "FR"
purpose = "Hum"
amount = "£3m"
part_of = "pkg"

[[entry]]
id = "again"
date = 2016-06-01
funder = "UK"
purpose = "Sec"
amount = "£12m"
restates = "a"
"""


def _balance(run_cli, path) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", path, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    return {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"]}


def _listing(tmp_path, run_cli, text=LEDGER):
    src = tmp_path / "ledger.toml"
    src.write_text(text, encoding="utf-8")
    code, out, err = run_cli("list", src, "--format", "csv")
    assert code == 0, err
    listing = tmp_path / "list.csv"
    listing.write_text(out, encoding="utf-8")
    return src, listing


def test_a_listing_imports_with_its_links_and_splits(tmp_path, run_cli):
    src, listing = _listing(tmp_path, run_cli)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(listing.read_text("utf-8")))}
    assert (rows["e"]["links"], rows["ph1"]["links"], rows["again"]["links"]) == (
        "disburses=a", "part_of=pkg", "restates=a")
    assert rows["pkg"]["purpose"] == "Sec=6000000; Hum=4000000"
    code, _, err = run_cli("import", listing, "-o", tmp_path / "imp")
    assert code == 0 and "not imported" not in err, err
    back = {e.id: e for e in ledger.load(tmp_path / "imp").entries}
    assert {k: (e.link("disburses"), e.link("part_of"), e.link("restates"))
            for k, e in back.items() if k != "a" and k != "pkg"} == {
        "e": ("a", None, None), "ph1": (None, "pkg", None), "again": (None, None, "a")}
    assert [(s.purpose, s.amount) for s in back["pkg"].splits] == [
        ("Sec", Decimal(6_000_000)), ("Hum", Decimal(4_000_000))]
    # by hand: a £12m (e pays £7m of it, again restates it: counted in a);
    # pkg £10m, Sec £6m and Hum £4m (ph1's £3m a phase of it): Sec 18m, Hum 4m
    got = _balance(run_cli, tmp_path / "imp")
    assert (got["Purposes:Sec"], got["Purposes:Hum"]) == (Decimal(18_000_000),
                                                          Decimal(4_000_000))
    assert got == _balance(run_cli, src)


def test_the_hunts_disbursement_is_counted_once(tmp_path, run_cli):
    text = LEDGER.split("\n[[entry]]\nid = \"pkg\"")[0]
    src, listing = _listing(tmp_path, run_cli, text)
    code, _, err = run_cli("import", listing, "-o", tmp_path / "imp")
    assert code == 0, err
    # £12m pledged, £7m of it disbursed: £12m, not £19m
    assert _balance(run_cli, tmp_path / "imp")["Purposes:Sec"] == Decimal(12_000_000)


def test_a_links_cell_that_cannot_be_read_refuses_its_row(tmp_path, run_cli):
    src = tmp_path / "l.csv"
    src.write_text("id,date,funder,purpose,amount,currency,links,disburses\n"
                   "a,2015-03-10,UK,Sec,12000000,GBP,,\n"
                   "b,2016-05-01,UK,Sec,7000000,GBP,pays=a,\n"
                   "c,2016-05-01,UK,Sec,1000000,GBP,disburses=a;disburses=b,\n"
                   "d,2016-05-01,UK,Sec,2000000,GBP,disburses=a,b\n"
                   "f,2016-05-01,UK,Hum,3000000,GBP,part_of=a; restates=a,\n",
                   encoding="utf-8")
    out = tmp_path / "imp"
    code, _, err = run_cli("import", src, "-o", out)
    assert code == 0, err
    lines = [x for x in err.splitlines() if ": row " in x and "warning:" not in x]
    assert [x.split(": row ")[1].split(":")[0] for x in lines] == ["3", "4", "5"], err
    assert "column 'links'" in lines[0] and "'pays=a' is not KIND=ID" in lines[0]
    assert "disburses is given twice" in lines[1]
    assert "the links column names disburses=a, the disburses column 'b'" in lines[2]
    back = {e.id: e for e in ledger.load(out).entries}
    assert sorted(back) == ["a", "f"]
    assert (back["f"].link("part_of"), back["f"].link("restates")) == ("a", "a")


def test_a_listing_read_as_a_bulk_ledger_is_one_line(tmp_path, run_cli):
    _, listing = _listing(tmp_path, run_cli)
    code, out, err = run_cli("check", listing)
    assert code == 1
    problems = [x for x in err.splitlines() if "error:" in x]
    assert problems == [f"{listing}:1: error: this file is a listing of a ledger ('list "
                        "--format csv' writes its 'links' column), not a ledger in the bulk "
                        "format (hint: make it a ledger with 'ledger-tool import FILE -o "
                        "NEW.toml', which reads its links (the bulk format gives each link "
                        "its own column: disburses, part_of, restates))"]
    code, out, _ = run_cli("balance", listing)
    assert code == 1 and not out


def test_a_links_column_of_urls_is_not_imported_and_said_so(tmp_path, run_cli):
    """A user's "Links" column of source URLs (one holding '=' too) is not a
    listing's links: the rows are imported, the column is named as not
    imported (as before the listing's links were read); mapped as the
    documents' column, it imports as their URLs."""
    src = tmp_path / "u.csv"
    src.write_text("Funder,Date,Purpose,Amount,Currency,Links\n"
                   "UK,2016-01-01,Sec,100,GBP,https://gov.uk/x\n"
                   "UK,2016-01-02,Sec,50,GBP,https://example.org/doc?id=5&lang=en\n",
                   encoding="utf-8")
    code, _, err = run_cli("import", src, "-o", tmp_path / "a")
    assert code == 0, err
    assert "note: columns not imported: 'Links'" in err
    assert sorted(e.amount for e in ledger.load(tmp_path / "a").entries) == [50, 100]
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\ndoc = "Links"\n', encoding="utf-8")
    code, _, err = run_cli("import", src, "-o", tmp_path / "b", "--map", mapping)
    assert code == 0, err
    book = ledger.load(tmp_path / "b")
    got = sorted((e.amount, book.documents[c.doc].url) for e in book.entries for c in e.sources)
    assert got == [(Decimal(50), "https://example.org/doc?id=5&lang=en"),
                   (Decimal(100), "https://gov.uk/x")]


def test_a_purpose_holding_an_equals_sign_is_kept(tmp_path, run_cli):
    """A listing's purpose cell is read as split shares only when they add
    up to the amount: 'Tier=2' of a £2m entry is a purpose."""
    src = tmp_path / "l.csv"
    src.write_text("id,date,funder,purpose,amount,currency,links\n"
                   "t,2016-01-01,UK,Tier=2,2000000,GBP,\n"
                   "s,2016-01-01,UK,A=1.5; B=0.5,2,GBP,\n", encoding="utf-8")
    code, _, err = run_cli("import", src, "-o", tmp_path / "a")
    assert code == 0, err
    back = {e.id: e for e in ledger.load(tmp_path / "a").entries}
    assert back["t"].purpose == "Tier=2" and not back["t"].splits
    assert [(p.purpose, p.amount) for p in back["s"].splits] == [
        ("A", Decimal("1.5")), ("B", Decimal("0.5"))]
