"""FTS downloads that are not a location's whole query, ledgers written
before the updatedAt was kept, entries typed with an ``fts-`` id, hostile
stamps and copies nothing says are newer (docs/interop.md, "OCHA FTS
flows").  Totals are worked from the raw JSON (json + Decimal) of the real
downloads in tests/fixtures/real/fts (SOURCES-fts.md), never from the
importer."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from tests.conftest import FIXTURES

REAL = FIXTURES / "real" / "fts"
EARLIER = REAL / "earlier"
L171 = sorted(REAL.glob("location-171-2020-page-*.json"))
L1 = sorted(REAL.glob("location-1-2020-page-*.json"))
E1 = sorted(EARLIER.glob("location-1-2020-page-*.json"))
E171 = EARLIER / "location-171-2020-page-1.json"


def _data(page: Path) -> dict:
    return json.loads(page.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)


def _flows(pages: list[Path]) -> dict[str, dict]:
    return {str(f["id"]): f for p in pages for f in _data(p)["data"]["flows"]}


def _single(f: dict) -> bool:
    return f["boundary"] == "incoming" and f["onBoundary"] == "single"


def _counts(f: dict) -> bool:
    """FTS counts the flow in the location's funding, committed or paid."""
    return _single(f) and f["status"] in ("commitment", "paid") and f["amountUSD"] > 0


def _total(flows: dict[str, dict]) -> Decimal:
    return sum((f["amountUSD"] for f in flows.values() if _counts(f)), Decimal(0))


def _counted(run_cli, book) -> Decimal:
    code, out, err = run_cli("balance", book, "--currency", "USD", "--valuation", "as-stated",
                             "--status", "committed", "--status", "disbursed", "--format", "csv")
    assert code == 0, err
    (row,) = [r for r in out.splitlines() if r.startswith("(total),")]
    return Decimal(row.split(",")[1])


def _folder(tmp_path: Path, name: str, pages: list[Path]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for p in pages:
        shutil.copyfile(p, folder / p.name)
    return folder


def _import(run_cli, source: Path, book: Path, to: str = "-o") -> str:
    code, _, err = run_cli("import", "--from", "fts", source, to, book)
    assert code == 0, err
    assert "Traceback" not in err
    return err


def _subset(tmp_path: Path, name: str, keep) -> tuple[Path, dict[str, dict]]:
    """A download of fewer flows than l171 (a filtered query): page 1's
    envelope, the l171 flows ``keep`` picks, ``meta.count`` their number."""
    data = json.loads(L171[0].read_text(encoding="utf-8"))
    flows = [f for p in L171 for f in json.loads(p.read_text(encoding="utf-8"))["data"]["flows"]
             if keep(f)]
    data["data"]["flows"], data["meta"]["count"] = flows, len(flows)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, {str(f["id"]): f for f in flows}


def _only_171(f: dict) -> bool:
    return [str(o.get("id")) for o in f["destinationObjects"] if o["type"] == "Location"] == ["171"]


def test_a_two_flow_download_after_the_location_withdraws_nothing(tmp_path, run_cli):
    everything = _flows(L171)
    assert _total(everything) == Decimal(381508179)      # FTS's own figure
    # the two updated last: every other flow of the ledger is older than they
    picked = sorted((k for k, f in everything.items() if _counts(f) and _only_171(f)),
                    key=lambda k: everything[k]["updatedAt"])[-2:]
    two, given = _subset(tmp_path, "two.json", lambda f: str(f["id"]) in picked)
    assert len(given) == 2 == json.loads(two.read_text())["meta"]["count"]
    book = tmp_path / "book"
    _import(run_cli, _folder(tmp_path, "l171", L171), book)
    said = _import(run_cli, two, book)
    assert _counted(run_cli, book) == _total(everything)
    assert "withdrawn" not in said
    assert not [e.id for e in ledger.load(book).entries if "not-counted-withdrawn" in e.tags]


def test_a_plan_subset_after_the_location_keeps_the_rest_and_says_so(tmp_path, run_cli):
    everything = _flows(L171)

    def plan_832(f):
        return any(o["type"] == "Plan" and str(o.get("id")) == "832"
                   for o in f["destinationObjects"])
    plan, given = _subset(tmp_path, "plan.json", plan_832)
    assert 0 < len(given) < len(everything)
    book = tmp_path / "book"
    _import(run_cli, _folder(tmp_path, "l171", L171), book)
    said = _import(run_cli, plan, book)
    assert _counted(run_cli, book) == _total(everything)
    # the ledger's counted entries (incoming, single, not 0) the subset leaves out
    left = sorted((k for k, f in everything.items() if k not in given and _single(f)
                   and f["amountUSD"] > 0 and _only_171(f)), key=lambda k: (len(k), k))
    assert f"{len(left)} flow(s) of the ledger for location 171 (occupied Palestinian " \
           f"territory) year 2020, counted, are not listed by this import " \
           f"(fts-{left[0]}, " in said
    assert "a download may be filtered; withdraw them by hand if FTS dropped them" in said


def _strip_stamps(book: Path) -> int:
    """The ledger as an import before fix15 wrote it: citations without
    "; updated ..."."""
    n = 0
    for toml in book.glob("*.toml"):
        text, k = re.subn(r'(locator = "flow [^"]*?); updated [^"]+"', r'\1"',
                          toml.read_text(encoding="utf-8"))
        toml.write_text(text, encoding="utf-8")
        n += k
    return n


def test_a_ledger_without_stamps_keeps_its_copies(tmp_path, run_cli):
    """Afghanistan 2020 imported before the updatedAt was kept, then the
    earlier download: its copies of the same version (nothing says which is
    newer) change nothing; the flows only it lists are added."""
    later, earlier = _flows(L1), _flows(E1)
    book = tmp_path / "book"
    _import(run_cli, _folder(tmp_path, "l1", L1), book)
    assert _strip_stamps(book) > 400
    assert _counted(run_cli, book) == _total(later) == Decimal(725591299)
    again = _import(run_cli, _folder(tmp_path, "l1-again", L1), book)
    assert " 0 updated, " in again and "sources changed" not in again
    said = _import(run_cli, _folder(tmp_path, "e1", E1), book)
    only_earlier = {k: f for k, f in earlier.items() if k not in later or
                    later[k]["amountUSD"] == 0}
    assert _counted(run_cli, book) == _total(later) + _total(only_earlier)
    assert " 0 updated, " in said
    entries = {e.id: e for e in ledger.load(book).entries}
    for k, f in later.items():
        if k in earlier and _counts(f) and f["versionId"] == earlier[k]["versionId"]:
            assert entries[f"fts-{k}"].is_primary, k
    assert "of the same version as the ledger's differ from it with nothing saying which is " \
           "newer" in said


def test_an_fts_id_typed_by_hand_is_left_alone(tmp_path, run_cli):
    everything = _flows(L171)
    fid = next(k for k, f in everything.items() if _counts(f) and _only_171(f))
    f = everything[fid]
    assert f["amountUSD"] != 123
    book = tmp_path / "book"
    book.mkdir()
    (book / "hand.toml").write_text(
        f'[[entry]]\nid = "fts-{fid}"\ndate = 2020-06-09\nfunder = "Someone"\n'
        'purpose = "Agriculture:occupied Palestinian territory"\namount = "123"\n'
        'currency = "USD"\nstatus = "committed"\nperiod = "from 2020-01-01 to 2020-12-31"\n'
        'location = "occupied Palestinian territory"\n', encoding="utf-8")
    said = _import(run_cli, _folder(tmp_path, "l171", L171), book)
    assert f"entry 'fts-{fid}' (" in said and "without an FTS file cited" in said
    entry = ledger.load(book).entry(f"fts-{fid}")
    assert (entry.amount, entry.funder, entry.tags) == (Decimal(123), "Someone", ())
    assert _counted(run_cli, book) == _total(everything) - f["amountUSD"] + 123
    # a download that does not list it does not withdraw it either
    other = next(k for k, g in everything.items() if k != fid and _counts(g) and _only_171(g))
    _import(run_cli, _subset(tmp_path, "one.json", lambda g: str(g["id"]) == other)[0], book)
    assert "not-counted" not in ledger.load(book).entry(f"fts-{fid}").tags


@pytest.mark.parametrize("to", ["-o", "--to"])
def test_a_stamp_beyond_the_calendar_is_ignored_in_one_line(tmp_path, run_cli, to):
    data = json.loads(L171[0].read_text(encoding="utf-8"))
    flow = data["data"]["flows"][5]
    flow["updatedAt"] = "0001-01-01T00:00:00+23:59"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.json").write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / ("book" if to == "-o" else "book.parquet")
    said = _import(run_cli, folder, out, to)
    lines = [ln for ln in said.splitlines() if "0001-01-01T00:00:00+23:59" in ln]
    assert len(lines) == 1 and f"flow '{flow['id']}'" in lines[0] and "page.json" in lines[0]
    assert "ignored" in lines[0]


def test_a_tie_across_imports_keeps_the_ledgers_copy(tmp_path, run_cli):
    """l171, then the earlier download: FTS renamed recipients without a new
    version or updatedAt; the ledger's copy and citation stay."""
    later, earlier = _flows(L171), _flows([E171])
    def recipients(f):
        return [o["name"] for o in f["destinationObjects"] if o["type"] == "Organization"]
    even = [k for k in later.keys() & earlier.keys()
            if (later[k]["versionId"], later[k]["updatedAt"]) ==
            (earlier[k]["versionId"], earlier[k]["updatedAt"]) and later[k] != earlier[k]]
    # renamed recipients; the others differ only in what no entry records
    ties = sorted(k for k in even if recipients(later[k]) != recipients(earlier[k]))
    assert ties == ["205338", "205341", "211944"] and "209269" in even
    later_docs = {hashlib.sha256(p.read_bytes()).hexdigest()[:10] for p in L171}
    book = tmp_path / "book"
    _import(run_cli, _folder(tmp_path, "l171", L171), book)
    said = _import(run_cli, E171, book)
    entries = {e.id: e for e in ledger.load(book).entries}
    for k in ties:
        assert entries[f"fts-{k}"].recipient == ", ".join(recipients(later[k])), k
        assert {c.doc[-10:] for c in entries[f"fts-{k}"].sources} <= later_docs, k
        assert f"fts-{k}" in said
    assert f"{len(ties)} flows of the same version as the ledger's differ from it" in said
    assert "updated fts-211944" not in said and "fts-209269" not in said


def test_a_second_import_of_the_later_download_changes_nothing(tmp_path, run_cli):
    """The earlier page, the later download, the later download again: the
    entries the later one left alike keep citing the earlier file, and the
    third import finds every entry unchanged."""
    book = tmp_path / "book"
    later = _folder(tmp_path, "l171", L171)
    _import(run_cli, E171, book)
    _import(run_cli, later, book)
    said = _import(run_cli, later, book)
    assert " 0 new, 0 updated, " in said, said[-300:]


def test_a_users_not_counted_tag_is_not_rewritten(tmp_path, run_cli):
    """210146: paid in the earlier download, 0 in the later one at the same
    version.  The user left it out by hand after the earlier import; a
    folder of both downloads leaves the entry as the user made it."""
    later, earlier = _flows(L171), _flows([E171])
    assert later["210146"]["amountUSD"] == 0 < earlier["210146"]["amountUSD"]
    book = tmp_path / "book"
    _import(run_cli, E171, book)
    toml = next(p for p in book.glob("*.toml") if 'id = "fts-210146"' in p.read_text())
    text = toml.read_text(encoding="utf-8")
    at = text.index('id = "fts-210146"')
    tags = text.index("tags = [", at)
    toml.write_text(text[:tags] + 'tags = ["not-counted", ' + text[tags + 8:], encoding="utf-8")
    before = ledger.load(book).entry("fts-210146")
    assert not before.is_primary
    both = _folder(tmp_path, "both", L171)
    shutil.copyfile(E171, both / "earlier.json")
    _import(run_cli, both, book)
    after = ledger.load(book).entry("fts-210146")
    assert "not-counted-withdrawn" not in after.tags and after.tags == before.tags
    assert after.notes == before.notes
