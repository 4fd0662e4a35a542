"""OCHA FTS flows: tests/fixtures/fts (written from the FTS API's flow shape) and the real
downloads in tests/fixtures/real/fts (SOURCES-fts.md)
through the reader and the import command; then IATI + FTS in one ledger,
with its totals by status worked by hand."""
from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger
from ledger.imports.problem import kind_of, where_of
from ledger.imports.fts import read_fts
from tests.conftest import FIXTURES
from ledger.model import IMPORT, said

FIX = FIXTURES / "fts"
IATI = FIXTURES / "iati"


def _by_id(result):
    return {r.fields["id"]: r.fields for r in result.records}


def test_status_money_and_restatement():
    recs = _by_id(read_fts(FIX / "flows.json"))
    assert {k: v["status"] for k, v in recs.items()} == {
        "fts-150001": "pledged", "fts-150002": "committed", "fts-150003": "disbursed",
        "fts-150004": "disbursed", "fts-150007": "disbursed", "fts-150009": "disbursed",
        "fts-150010": "pledged"}
    de = recs["fts-150001"]
    assert (de["amount"], de["currency"]) == ("100000000", "EUR")
    assert de["restated"] == ["$112.06 million"]                  # FTS's amountUSD
    assert "FTS exchange rate 1.1206" in de["notes"]
    assert de["period"] == "from 2016-01-01 to 2016-12-31"        # UsageYear 2016
    assert de["purpose"] == "Food Security:Syrian Arab Republic"
    assert de["recipient"] == "World Food Programme"
    src = de["source"][0]
    assert src["quote"] == '"amountUSD": 112060000, "originalAmount": 100000000, "originalCurrency": "EUR"'
    assert src["locator"].startswith("flow 150001 version 1; reported by Germany, Government of "
                                      "(Primary, Email, 2016-02-05)")


def test_versions_children_and_splits():
    r = read_fts(FIX / "flows.json")
    recs = _by_id(r)
    us = recs["fts-150002"]
    assert us["amount"] == "25000000" and "fts-version-3" in us["tags"]   # newest version kept
    assert any("version 2" in where_of(p) and "superseded by version 3" in p.message for p in r.problems)
    assert us["period"] == "from 2016-01-01 to 2017-12-31"
    assert [s["amount"] for s in us["split"]] == ["12500000", "12500000"]
    # FTS counts a parent and its children each: the chain is kept as a tag, not a link
    for child, parent in (("150003", "150002"), ("150004", "150002"), ("150007", "999999")):
        assert f"fts-parent-{parent}" in recs[f"fts-{child}"]["tags"]
        assert "part_of" not in recs[f"fts-{child}"]


def test_bad_flows_and_files_are_named():
    r = read_fts(FIX / "flows.json")
    msgs = [said(p, IMPORT) for p in r.problems if kind_of(p) == "reject"]
    for fid, what in (("150005", "unknown status 'promised'"), ("150006", "no amount"),
                      ("150008", "has no originalCurrency")):
        assert any(f"flow '{fid}'" in m and what in m for m in msgs), (fid, msgs)
    assert all(m.startswith(str(FIX / "flows.json")) for m in msgs)
    for name, word in (("truncated.json", "truncated"), ("malformed.json", "malformed")):
        bad = read_fts(FIX / name)
        (p,) = bad.problems
        assert not bad.records and kind_of(p) == "error" and word in p.message
        assert where_of(p).startswith("flow '")


def test_deep_nesting_is_refused(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text('{"data": {"flows": ' + "[" * 5000 + "]" * 5000 + "}}", encoding="utf-8")
    r = read_fts(f)
    assert "nested deeper" in r.problems[0].message


def test_reimport_updates_a_newer_version(tmp_path, run_cli):
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", FIX / "flows.json", "-o", book)
    assert code == 0 and "7 new, 0 updated, 0 unchanged, 3 rejected" in err
    assert run_cli("import", "--from", "fts", FIX / "flows.json", "-o", book)[2].count(
        "0 new, 0 updated, 7 unchanged") == 1
    data = json.loads((FIX / "flows.json").read_text(encoding="utf-8"))
    for f in data["data"]["flows"]:
        if f["id"] == "150009":
            f["versionId"], f["originalAmount"], f["amountUSD"] = 2, 6000000, 8665566.28
    newer = tmp_path / "flows-newer.json"
    newer.write_text(json.dumps(data, indent=1), encoding="utf-8")
    code, _, err = run_cli("import", "--from", "fts", newer, "-o", book)
    assert code == 0 and "0 new, 1 updated, 6 unchanged" in err and "updated fts-150009" in err
    assert ledger.load(book).entry("fts-150009").amount == Decimal("6000000")
    # the older file again: version 1 is older than the ledger's version 2
    code, _, err = run_cli("import", "--from", "fts", FIX / "flows.json", "-o", book)
    assert "older than version 2 in the ledger" in err
    assert ledger.load(book).entry("fts-150009").amount == Decimal("6000000")


def _gbp(amount, currency, date):
    """An amount in GBP at the ECB rate of its date, to the penny (as worked by hand)."""
    import datetime as dt

    from rates import load_rates
    if currency == "GBP":
        return Decimal(amount)
    rate = load_rates().rate(currency, "GBP", dt.date.fromisoformat(date))[0]
    return (Decimal(amount) * rate).quantize(Decimal("0.01"), ROUND_HALF_EVEN)


def test_iati_and_fts_in_one_ledger_check_audit_and_totals_by_status(tmp_path, run_cli):
    book = tmp_path / "book"
    for kind, f in (("iati", IATI / "activities-v2.xml"), ("iati", IATI / "activities-v1.xml"),
                    ("fts", FIX / "flows.json")):
        code, _, err = run_cli("import", "--from", kind, f, "-o", book)
        assert code == 0, err
    assert run_cli("check", book)[0] == 0
    code, out, err = run_cli("audit", book, "--sources", book / "sources")
    assert code == 0, out + err
    from reports.tables import ReportOptions, build_report
    report = build_report(ledger.load(book), ReportOptions(currency="GBP"))
    got = {s: report.by_status[s].sum() for s in ("pledged", "committed", "disbursed", "spent")}
    # counted entries (primary), by hand: disbursements, budgets, phased children and
    # the pledge its commitment restates are linked to what they pay out or restate; an
    # IATI activity is counted once, by its commitments (UNDP's pledge IP1 and the incoming
    # commitment IC1 restate C1), each dated by its transaction-date (C2: 2016-06-10) and
    # converted at its value-date's rate (C2: 2016-06-01); FTS flows are each counted,
    # children too, as FTS counts them
    pledged = (_gbp("100000000", "EUR", "2016-02-04")                      # FTS 150001
               + _gbp("300000", "USD", "2016-07-01"))                      # FTS 150010
    committed = (Decimal("5000000") + Decimal("4000000")                    # C1, C-2013
                 + _gbp("1875000", "EUR", "2016-06-01") + _gbp("1125000", "EUR", "2016-06-01")
                 + 2 * _gbp("12500000", "USD", "2016-03-01"))               # FTS 150002
    disbursed = (Decimal("5000000") + _gbp("2000000", "USD", "2016-06-01")  # FTS 150009, 150007
                 + _gbp("10000000", "USD", "2016-05-10")                   # FTS 150003
                 + _gbp("5000000", "USD", "2016-09-01"))   # 150004: 2 splits, converted once
    assert got == {"pledged": pledged, "committed": committed, "disbursed": disbursed,
                   "spent": Decimal(0)}


def test_names_file_and_rejects_report(tmp_path, run_cli):
    names = tmp_path / "names.toml"
    names.write_text('[organisations]\n"2917" = "Germany:Federal Foreign Office"\n'
                     '[clusters]\n"Food Security" = "Food"\n[locations]\n"211" = "Syria"\n',
                     encoding="utf-8")
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", FIX / "flows.json", "-o", book,
                           "--names", names)
    assert code == 0, err
    de = ledger.load(book).entry("fts-150001")
    assert (de.funder, de.purpose) == ("Germany:Federal Foreign Office", "Food:Syria")
    import csv
    rows = list(csv.DictReader(open(book / "fts.rejects.csv", encoding="utf-8")))
    assert sorted(r["where"].split("'")[1] for r in rows if r["kind"] == "reject") == \
        ["150005", "150006", "150008"]


def test_odd_shapes_are_messages_not_tracebacks(tmp_path):
    data = {"data": {"flows": [
        {"id": "1", "versionId": 1, "status": "paid", "date": "2016-01-01", "amountUSD": 1e300,
         "sourceObjects": [{"type": "Organization", "name": "X"}]},
        {"id": "2", "versionId": 1, "status": "paid", "date": 20160101, "amountUSD": 10,
         "sourceObjects": 5, "destinationObjects": "x"},
        {"id": "3", "status": ["paid"], "amountUSD": "10"},
        "not a flow",
    ]}}
    f = tmp_path / "odd.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    r = read_fts(f)
    # flow 2 names no source organisation: kept, its funder named "Unknown funder", said
    assert [(x.fields["id"], x.fields["funder"]) for x in r.records] == [("fts-2", "Unknown funder")]
    msgs = " | ".join(said(p, IMPORT) for p in r.problems)
    assert "flow '1'" in msgs and "the largest ledger-tool takes" in msgs
    assert "flow '2' version 1: no source Organization: the funder is recorded as 'Unknown " \
           "funder'" in msgs
    assert "flow '3'" in msgs and "flow #4" in msgs


# ------------------------------------------------------------------ real FTS downloads
REAL = FIXTURES / "real" / "fts"      # SOURCES-fts.md
LOCATIONS = (1, 114, 171)      # Afghanistan, Jordan, occupied Palestinian territory (2020)


def _pages(location):
    return sorted(REAL.glob(f"location-{location}-2020-page-*.json"))


def _raw(location):
    """(the download's own incoming.fundingTotal, the flows of all its pages), from the raw JSON."""
    flows, totals = [], set()
    for page in _pages(location):
        data = json.loads(page.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
        totals.add(data["data"]["incoming"]["fundingTotal"])
        flows += data["data"]["flows"]
    (total,) = totals                   # every page repeats the download's total
    return total, flows


def _counted_balance(run_cli, book) -> Decimal:
    code, out, err = run_cli("balance", book, "--currency", "USD", "--valuation", "as-stated",
                             "--status", "committed", "--status", "disbursed", "--format", "csv")
    assert code == 0, err
    (row,) = [r for r in out.splitlines() if r.startswith("(total),")]
    return Decimal(row.split(",")[1])


def _entries(book):
    return {e.id: (e.date, e.funder, e.amount, e.currency, e.status, e.restated, e.splits,
                   e.purpose, tuple(sorted(e.tags)), e.links)
            for e in ledger.load(book).entries}


@pytest.mark.parametrize("location", LOCATIONS)
def test_real_download_counts_what_fts_counts(tmp_path, run_cli, location):
    total, flows = _raw(location)
    # FTS's rule, worked from the raw flows: incoming, not shared on the boundary, not a pledge
    by_rule = sum((f["amountUSD"] for f in flows if f["boundary"] == "incoming"
                   and f["onBoundary"] != "shared" and f["status"] != "pledge"), Decimal(0))
    assert by_rule == total
    folder = tmp_path / "pages"
    folder.mkdir()
    for p in _pages(location):
        (folder / p.name).write_bytes(p.read_bytes())
    book = tmp_path / "book"
    code, _, imported = run_cli("import", "--from", "fts", folder, "-o", book)
    assert code == 0, imported
    assert _counted_balance(run_cli, book) == total
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s), 0 warning(s)" in out + err, out + err
    code, _, err = run_cli("report", book, "--currency", "USD", "--out", tmp_path / "report.html")
    assert code == 0, err
    report_err = err
    # boundary, onBoundary and flowType stay on each entry; the flows FTS does not
    # count are recorded, tagged not-counted with the reason, and not in any total
    entries = {e.id: e for e in ledger.load(book).entries}
    outside = {f["id"] for f in flows if f["amountUSD"]      # 0: skipped, FTS counts nothing
               and (f["boundary"] != "incoming" or f["onBoundary"] == "shared")}
    assert any("fts-flow-type-parked" in e.tags for e in entries.values())
    for f in flows:
        e = entries.get(f"fts-{f['id']}")
        if e is None:
            continue
        assert f"fts-boundary-{f['boundary']}" in e.tags
        assert f"fts-on-boundary-{f['onBoundary']}" in e.tags
        why = f["boundary"] if f["boundary"] != "incoming" else \
            "shared" if f["onBoundary"] == "shared" else None
        assert ("not-counted" in e.tags) == (why is not None) == (not e.is_primary)
        assert why is None or f"not-counted-{why}" in e.tags
    uncounted = sum(1 for e in entries.values() if "not-counted" in e.tags)
    assert uncounted == len(outside)
    said = re.findall(r"([\d,]+) flows? recorded but not counted", imported)
    assert sum(int(n.replace(",", "")) for n in said) == uncounted
    code, _, err = run_cli("balance", book, "--currency", "USD", "--valuation", "as-stated")
    assert f"{uncounted:,} entries tagged not-counted are recorded but left out" in err
    assert f"note: {uncounted:,} entries tagged not-counted are recorded but left out" \
        in report_err
    # the importer's own restatements are sourced: audit reports none as unsourced
    code, out, err = run_cli("audit", book, "--sources", book / "sources")
    assert "restatement-unsourced" not in out + err
    # the exports mark them secondary too, so a peer's `not:tag:secondary` leaves
    # them out of its totals as we do
    code, _, err = run_cli("export", book, "--to", "hledger", "-o", tmp_path / "book.journal")
    assert code == 0, err
    text = (tmp_path / "book.journal").read_text()
    marked = {m.group(1) for block in text.split("\n\n") if "; secondary: not-counted" in block
              for m in [re.search(r"; id: (\S+)", block)] if m}
    assert marked == {i for i, e in entries.items() if "not-counted" in e.tags and not e.links}
    # a restatement in a currency with no published rates is the rate itself: not a warning
    assert not [ln for ln in (out + err).splitlines()
                if ln.startswith("warning") and "no-reference-rate" in ln]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_real_pages_one_by_one_in_any_order_make_the_same_ledger(tmp_path, run_cli, order):
    location = 1
    total, _ = _raw(location)
    pages = _pages(location)
    together = tmp_path / "together"
    folder = tmp_path / "pages"
    folder.mkdir()
    for p in pages:
        (folder / p.name).write_bytes(p.read_bytes())
    assert run_cli("import", "--from", "fts", folder, "-o", together)[0] == 0
    one_by_one = tmp_path / "one-by-one"
    for k in order:
        code, _, err = run_cli("import", "--from", "fts", pages[k], "-o", one_by_one)
        assert code == 0, err
        assert run_cli("check", one_by_one)[0] == 0
    assert _entries(one_by_one) == _entries(together)
    assert _counted_balance(run_cli, one_by_one) == total


def test_real_newer_download_over_an_older_one(tmp_path, run_cli):
    """An older download (built from the real one: some parents and children one
    version back, with other amounts) then the real pages: every flow ends at
    its newest version, nothing lost, and the total is FTS's."""
    location = 114
    total, flows = _raw(location)
    parents = {str(f["parentFlowId"]) for f in flows if f.get("parentFlowId")}
    older_dir = tmp_path / "older"
    older_dir.mkdir()
    changed = set()
    for page in _pages(location):
        data = json.loads(page.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
        for f in data["data"]["flows"]:
            family = str(f["id"]) in parents or f.get("parentFlowId")
            if family and f["versionId"] > 1 and f["boundary"] == "incoming" \
                    and f["onBoundary"] == "single" and f["amountUSD"] > 0:
                f["versionId"] -= 1
                f["amountUSD"] = f["amountUSD"] * 2
                if f.get("originalAmount"):
                    f["originalAmount"] = f["originalAmount"] * 2
                changed.add(f"fts-{f['id']}")
        (older_dir / page.name).write_text(json.dumps(_plain_json(data)), encoding="utf-8")
    assert len(changed) > 5
    book = tmp_path / "book"
    assert run_cli("import", "--from", "fts", older_dir, "-o", book)[0] == 0
    newer = tmp_path / "newer"
    newer.mkdir()
    for p in _pages(location):
        (newer / p.name).write_bytes(p.read_bytes())
    code, _, err = run_cli("import", "--from", "fts", newer, "-o", book)
    assert code == 0, err
    assert f"0 new, {len(changed)} updated" in err
    assert all(f"updated {eid} " in err for eid in changed)
    assert _counted_balance(run_cli, book) == total
    assert run_cli("check", book)[0] == 0
    fresh = tmp_path / "fresh"
    assert run_cli("import", "--from", "fts", newer, "-o", fresh)[0] == 0
    old_entries, new_entries = _entries(book), _entries(fresh)
    assert old_entries.keys() == new_entries.keys()
    assert {k: v[2:] for k, v in old_entries.items()} == {k: v[2:] for k, v in new_entries.items()}


def _plain_json(v):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dict):
        return {k: _plain_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain_json(x) for x in v]
    return v


@pytest.mark.parametrize("version", ["1e999999", "1e5000", "-1", "2.5", "\"x\""])
def test_huge_or_odd_version_is_one_line(tmp_path, run_cli, version):
    f = tmp_path / "v.json"
    f.write_text('{"data": {"flows": [{"id": 5, "versionId": ' + version + ', "status": "paid", '
                 '"date": "2020-01-01", "amountUSD": 10, "sourceObjects": '
                 '[{"type": "Organization", "name": "X"}]}]}}', encoding="utf-8")
    code, _, err = run_cli("import", "--from", "fts", f, "-o", tmp_path / "book")
    assert code == 1
    assert "flow '5': versionId" in err and "is not a whole number from 0 to" in err
    assert "Traceback" not in err


def test_zero_original_amount_imports_the_usd_amount(tmp_path):
    f = tmp_path / "z.json"
    f.write_text('{"data": {"flows": [{"id": 7, "versionId": 1, "status": "paid", '
                 '"date": "2020-01-01", "amountUSD": 1250, "originalAmount": 0, '
                 '"originalCurrency": "EUR", "sourceObjects": '
                 '[{"type": "Organization", "name": "X"}]}]}}', encoding="utf-8")
    (rec,) = read_fts(f).records
    assert (rec.fields["amount"], rec.fields["currency"]) == ("1250", "USD")
    assert "originalAmount 0" in rec.fields["notes"]


def test_check_says_in_advance_which_entries_need_the_stated_rate(tmp_path, run_cli):
    (tmp_path / "j.toml").write_text(
        '[[entry]]\nid = "a1"\ndate = 2020-03-01\nfunder = "UAE"\npurpose = "Health"\n'
        'amount = "1000000"\ncurrency = "AED"\nstatus = "committed"\nrestated = ["$272,257"]\n\n'
        '[[entry]]\nid = "a2"\ndate = 2020-03-01\nfunder = "UAE"\npurpose = "Food"\n'
        'amount = "500000"\ncurrency = "AED"\nstatus = "committed"\n', encoding="utf-8")
    code, out, err = run_cli("check", tmp_path)
    assert "1 entry in AED, a currency with no published exchange rates: converted by its own " \
           "restated amount (the source's conversion): a1" in err
    assert "entry 'a2': warning: no exchange rates for AED and no restated amount" in out + err
    assert "3 warning(s)" in out + err        # two without a source, a2 unconvertible
    (tmp_path / "j.toml").write_text((tmp_path / "j.toml").read_text().split("\n\n")[0] + "\n",
                                     encoding="utf-8")
    code, out, err = run_cli("balance", tmp_path, "--currency", "USD")
    assert code == 0 and "(total)" in out and "US$272,257.00" in out, err
    assert "balance: note: 1 entry in AED, a currency with no published exchange rates: " \
           "converted by its own restated amount" in err
    for valuation in ("as-stated", "yearly-average", "2020-06-01"):
        code, out, err = run_cli("balance", tmp_path, "--currency", "USD", "--valuation",
                                 valuation)
        assert code == 0 and "US$272,257.00" in out, (valuation, err)


def test_a_flow_no_longer_counted_becomes_a_not_counted_entry(tmp_path, run_cli):
    flow = {"id": 9, "versionId": 1, "status": "paid", "date": "2020-01-01", "amountUSD": 10,
            "boundary": "incoming", "onBoundary": "single",
            "sourceObjects": [{"type": "Organization", "name": "X"}]}
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"data": {"flows": [flow]}}), encoding="utf-8")
    new.write_text(json.dumps({"data": {"flows": [dict(flow, versionId=2, onBoundary="shared")]}}),
                   encoding="utf-8")
    book = tmp_path / "book"
    assert run_cli("import", "--from", "fts", old, "-o", book)[0] == 0
    code, _, err = run_cli("import", "--from", "fts", new, "-o", book)
    assert code == 0 and "updated fts-9" in err and "1 flow recorded but not counted" in err
    (e,) = ledger.load(book).entries
    assert "not-counted-shared" in e.tags and "fts-version-2" in e.tags and not e.is_primary
    code, out, err = run_cli("balance", book, "--currency", "USD")
    assert code != 0 or "US$10" not in out


def test_children_beyond_their_parent_are_a_warning_naming_both(tmp_path, run_cli):
    def flow(fid, usd, parent=None):
        return {"id": fid, "versionId": 1, "status": "paid", "date": "2020-01-01",
                "amountUSD": usd, "parentFlowId": parent, "boundary": "incoming",
                "onBoundary": "single", "sourceObjects": [{"type": "Organization", "name": "X"}]}
    page1, page2 = tmp_path / "p1.json", tmp_path / "p2.json"
    page1.write_text(json.dumps({"data": {"flows": [flow(1, 100), flow(2, 60, 1)]}}),
                     encoding="utf-8")
    page2.write_text(json.dumps({"data": {"flows": [flow(3, 60, 1)]}}), encoding="utf-8")
    book = tmp_path / "book"
    assert run_cli("import", "--from", "fts", page1, "-o", book)[0] == 0
    code, _, err = run_cli("import", "--from", "fts", page2, "-o", book)
    assert code == 0
    assert "warning: " in err and "its child flows fts-2, fts-3 add up to US$120, more than " \
                                  "parent flow fts-1 (US$100)" in err
    assert run_cli("check", book)[0] == 0      # every command still reads the ledger
    code, out, _ = run_cli("balance", book, "--currency", "USD", "--format", "csv")
    assert code == 0 and "(total),220.00,USD" in out


def _fields_without_document(records):
    out = {}
    for r in records:
        f = dict(r.fields)
        f["source"] = [{k: v for k, v in s.items() if k != "doc"} for s in f["source"]]
        out[f["id"]] = f
    return out


_REAL_FLOWS = None


def _real_flows():
    global _REAL_FLOWS
    if _REAL_FLOWS is None:
        _REAL_FLOWS = json.loads(_pages(171)[0].read_text(encoding="utf-8"))["data"]["flows"]
    return _REAL_FLOWS


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_a_flow_reads_the_same_whatever_page_it_is_on(tmp_path_factory, data):
    """Property: cutting a download into pages anyhow, in any order, each flow
    becomes the same record as when read with all the others."""
    flows = _real_flows()
    order = data.draw(st.permutations(range(len(flows))))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(flows) - 1), max_size=4)))
    tmp = tmp_path_factory.mktemp("pages")
    whole = tmp / "whole.json"
    whole.write_text(json.dumps({"data": {"flows": flows}}), encoding="utf-8")
    together = _fields_without_document(read_fts(whole).records)
    pieces, bounds = {}, [0, *cuts, len(flows)]
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        page = tmp / f"page-{k}.json"
        page.write_text(json.dumps({"data": {"flows": [flows[i] for i in order[a:b]]}}),
                        encoding="utf-8")
        pieces.update(_fields_without_document(read_fts(page).records))
    assert pieces == together


def test_import_messages_are_capped_and_all_listed_in_the_rejects_file(tmp_path, run_cli,
                                                                         monkeypatch):
    flows = [{"id": k, "versionId": 1, "status": "paid", "date": "2020-01-01",
              "amountUSD": 0 if k > 1 else 5, "boundary": "incoming", "onBoundary": "single",
              "sourceObjects": [{"type": "Organization", "name": "X"}]} for k in range(1, 9)]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"data": {"flows": flows}}), encoding="utf-8")
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "3")
    code, _, err = run_cli("import", "--from", "fts", page, "-o", tmp_path / "book")
    assert code == 0
    assert err.count("FTS counts nothing for this flow") == 3
    assert "... and 4 more message(s) not shown (all of them are in the rejects file)" in err
    rows = (tmp_path / "book" / "fts.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 7
