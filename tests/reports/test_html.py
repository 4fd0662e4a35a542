"""The interactive report page: its data (Python) and its behaviour in a real
browser (Debian's chromium driven by selenium through chromedriver).

The browser tests are skipped, with the reason shown, when chromium,
chromedriver or selenium is missing (install: apt-get install chromium
chromium-driver; pip install selenium)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as pads
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ledger
from ledger.model import Citation, Document, Entry
from reports.amounts import format_amount
from reports.html import _data_json, render_html, script_json
from reports.pagedata import EntryLists, entry_groups, page_data
from reports.tables import ReportOptions, build_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


# ---------------------------------------------------------------- without a browser
def test_script_json_cannot_end_its_element():
    text = script_json({"q": "</script><script>alert(1)</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["q"] == "</script><script>alert(1)</script><!-- & \u2028"


def test_page_data_cells_sum_to_the_report_tables(example_ledger):
    r = build_report(ledger.load(example_ledger), ReportOptions(years="fiscal-uk"))
    data = page_data(r)
    cells = data["cells"]["total"]
    minor = sum(int(m) for m, role in zip(cells["m"], cells["r"]) if role == 0)
    assert Decimal(minor).scaleb(-2) == sum(r.summary["amount"], Decimal(0))
    ycells = data["cells"]["years"]
    y = data["dims"]["year"].index("2015-16")
    part = sum(int(m) for m, yy, role in zip(ycells["m"], ycells["y"], ycells["r"])
               if yy == y and role == 0)
    assert Decimal(part).scaleb(-2) == sum(r.by_year.loc["2015-16"], Decimal(0))
    assert len(data["entries"]) == 8 and data["meta"]["entriesTotal"] == 8
    # the largest entry first; each carries its citations
    assert data["entries"][0]["id"] == "france-africa-development-2015"
    assert data["entries"][0]["said"] == "at least " + format_amount(
        Decimal(3_000_000_000), "EUR", "en_GB") + " a year"


@pytest.mark.parametrize("options", [dict(basis="per-year"), dict(status=("committed",)),
                                     dict(valuation="yearly-average", currency="EUR")])
def test_page_cells_follow_the_report_options(example_ledger, options):
    r = build_report(ledger.load(example_ledger), ReportOptions(**options))
    cells = page_data(r)["cells"]["total"]
    minor = sum(int(m) for m, role in zip(cells["m"], cells["r"]) if role == 0)
    assert Decimal(minor).scaleb(-2) == sum(r.summary["amount"], Decimal(0))


def test_page_carries_entries_up_to_the_limit_and_says_so(example_ledger):
    r = build_report(ledger.load(example_ledger), ReportOptions())
    page = render_html(r, limit=3)
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S)[1])
    assert len(data["entries"]) == 3 and data["meta"]["entriesTotal"] == 8
    assert "the 3 largest entries" in page and "entries.csv" in page
    # the totals still cover every entry
    cells = data["cells"]["total"]
    assert sorted(i for e in cells["e"] for i in e) == list(range(8))
    assert data["groups"] is None


def test_page_is_one_file_with_a_strict_policy(example_ledger):
    r = build_report(ledger.load(example_ledger), ReportOptions())
    page = render_html(r)
    assert re.search(r"<(link|img|iframe|object|embed)\b", page) is None
    assert re.search(r"<script\b[^>]*\bsrc=", page) is None
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


# ---------------------------------------------------------------- in a browser
def _browser_or_skip():
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(f"browser tests need Debian's chromium and chromium-driver "
                    f"({CHROMIUM}, {CHROMEDRIVER}); apt-get install chromium chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("browser tests need selenium (pip install selenium)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="ledger-tool-chromium-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1300,1800"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(60)
    return driver, profile


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser_or_skip()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def reports(example_ledger, seeds_dir, tmp_path_factory):
    """The example's report (fiscal years, audited) and the same report
    filtered on the command line to UK and Security."""
    from ledger_tool.cli import main
    base = tmp_path_factory.mktemp("page")
    full, uk = base / "full", base / "uk"
    assert main(["report", str(example_ledger), "--out", str(full), "--years", "fiscal-uk",
                 "--sources", str(seeds_dir)]) == 0
    assert main(["report", str(example_ledger), "--out", str(uk), "--funder", "UK",
                 "--purpose", "Security", "--years", "fiscal-uk"]) == 0
    return full, uk


def _open(driver, path: Path):
    driver.get(path.resolve().as_uri())
    assert driver.execute_script("return document.documentElement.getAttribute('data-ready')") \
        == "yes", driver.get_log("browser")


def _summary_minor(folder: Path) -> dict[tuple[str, str], int]:
    rows = list(csv.DictReader((folder / "summary.csv").open(encoding="utf-8")))
    out = {(r["funder"], r["purpose"]): int(Decimal(r["amount"]).scaleb(2)) for r in rows[:-1]}
    assert rows[-1]["funder"] == "(total)"
    assert int(Decimal(rows[-1]["amount"]).scaleb(2)) == sum(out.values())
    return out


def _choose(driver, key: str, *values: str):
    from selenium.webdriver.support.ui import Select
    sel = Select(driver.find_element("id", f"filter-{key}"))
    for v in values:
        sel.select_by_value(v)


def _total(driver) -> int:
    return int(driver.find_element("id", "filter-state").get_attribute("data-total-minor"))


def test_page_totals_equal_summary_csv(browser, reports):
    full, _ = reports
    _open(browser, full / "report.html")
    want = _summary_minor(full)
    assert _total(browser) == sum(want.values())
    table = browser.find_element("id", "summary-table")
    heads = [th.text for th in table.find_elements("css selector", "thead th")]
    for row in table.find_elements("css selector", "tbody tr")[:-1]:
        tds = row.find_elements("css selector", "td")
        purpose = tds[0].text
        for head, td in zip(heads[1:-1], tds[1:-1]):
            buttons = td.find_elements("css selector", "button.amt")
            got = int(buttons[0].get_attribute("data-minor")) if buttons else 0
            assert got == want.get((head, purpose), 0), (head, purpose)


def test_filter_uk_security_fiscal_2015_16_equals_the_command_line(browser, reports):
    """The issue's 'done when': the page filtered to UK, Security, fiscal
    2015-16 gives the totals of `ledger-tool report --funder UK --purpose
    Security --years fiscal-uk`."""
    import openpyxl
    full, uk = reports
    _open(browser, full / "report.html")
    _choose(browser, "f", "UK")
    _choose(browser, "p", "Security")
    want = _summary_minor(uk)
    assert _total(browser) == sum(want.values())
    rows = browser.find_elements("css selector", "#by-purpose-table tbody tr")
    got = {r.find_elements("css selector", "td")[0].text:
           int(r.find_element("css selector", "button.amt").get_attribute("data-minor"))
           for r in rows[:-1]}
    assert got == {p: m for (_, p), m in want.items()}
    # the year: the command line's By year sheet, row 2015-16
    ws = openpyxl.load_workbook(uk / "report.xlsx")["By year"]
    heads = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "2015-16")
    year_minor = sum(int(Decimal(str(v)).scaleb(2)) for h, v in zip(heads, row)
                     if h not in ("year", "Total") and v is not None)
    _choose(browser, "y", "2015-16")
    assert _total(browser) == year_minor
    state = browser.find_element("id", "filter-state").text
    assert "UK" in state and "Security" in state and "2015-16" in state
    # every amount on the summary is now a part of that year
    cells = browser.find_elements("css selector", "#summary-table tr.total button.amt")
    assert int(cells[-1].get_attribute("data-minor")) == year_minor
    browser.find_element("id", "clear-filters").click()
    assert _total(browser) == sum(_summary_minor(full).values())


def test_status_and_qualifier_filters_equal_the_command_line(browser, reports, example_ledger,
                                                            tmp_path):
    from ledger_tool.cli import main
    full, _ = reports
    out = tmp_path / "committed"
    # the page counts open-ended pledges to the whole report's horizon (the end of
    # 2017, the calendar year its bounded pledges reach, whatever --years); a command
    # line filtered to them alone would default to their own year
    assert main(["report", str(example_ledger), "--out", str(out), "--status", "committed",
                 "--years", "fiscal-uk", "--horizon", "2017"]) == 0
    _open(browser, full / "report.html")
    _choose(browser, "s", "committed")
    assert _total(browser) == sum(_summary_minor(out).values())
    browser.find_element("id", "clear-filters").click()
    _choose(browser, "q", "up to")
    want = _summary_minor(full)[("UK:Home Office", "Security:Channel Tunnel railhead")]
    assert _total(browser) == want
    # the value is said with its qualifier
    cell = browser.find_element("css selector", "#by-purpose-table tbody tr button.amt")
    assert cell.text == "up to " + format_amount(Decimal(want).scaleb(-2), "GBP", "en_GB")


def test_clicking_an_amount_shows_its_entries_with_citations(browser, reports):
    full, _ = reports
    _open(browser, full / "report.html")
    _choose(browser, "p", "Security:Calais port")
    browser.find_element("css selector", "#by-funder-table button.amt").click()
    body = browser.find_element("id", "detail-body")
    assert browser.find_element("id", "detail").is_displayed()
    cards = body.find_elements("css selector", ".entry")
    ids = {c.get_attribute("id") for c in cards}
    assert len(cards) == 2, body.text
    text = body.text
    assert "uk-joint-declaration-2014" in text and "uk-calais-lorry-waiting-area-2015" in text
    marks = [m.text for m in body.find_elements("css selector", "mark")]
    assert "£12 million (€15 million, $19 million) over three years" in marks
    assert "Audit: verified" in text
    assert "001_c33d2c2f8263bd4b.txt" in text and "hash matches" in text
    # the quote sits in its document's words
    ctx = body.find_elements("css selector", ".context")[0].text
    assert len(ctx) > len(marks[0]) + 20
    del ids


def test_no_request_leaves_the_page(browser, reports):
    full, _ = reports
    browser.get_log("performance")      # drop earlier pages' events
    _open(browser, full / "report.html")
    _choose(browser, "f", "France")
    browser.find_element("css selector", "#summary-table button.amt").click()
    browser.find_element("id", "clear-filters").click()
    page = (full / "report.html").resolve().as_uri()
    urls = []
    for item in browser.get_log("performance"):
        msg = json.loads(item["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    assert urls and all(u == page for u in urls), urls
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_hostile_text_stays_text(browser, tmp_path):
    evil = "</script><script>window.pwned=1</script><!-- <img src=x onerror=window.pwned=2>"
    docs = {"d": Document(id="d", title="<b>bold</b>", url="javascript:window.pwned=3")}
    e = Entry(id="e1", date=dt.date(2015, 1, 1), funder="A&B:<i>x</i>",
              purpose="P:<script>window.pwned=4</script>", amount=Decimal(12_000_000),
              currency="GBP", amount_text="£12m", tags=("<tag>",),
              sources=(Citation("d", evil),))
    r = build_report(ledger.Ledger((e,), docs, {"name": "<script>n</script>"}, None),
                     ReportOptions())
    path = tmp_path / "evil.html"
    path.write_text(render_html(r), encoding="utf-8")
    _open(browser, path)
    browser.find_element("css selector", "#summary-table button.amt").click()
    mark = browser.find_element("css selector", "#detail-body mark")
    assert mark.text == evil
    assert browser.execute_script("return window.pwned === undefined")
    assert not browser.find_elements("css selector", "#detail-body img, #detail-body b, "
                                                     "#detail-body a")
    assert "P:<script>window.pwned=4</script>" in browser.find_element(
        "id", "summary-table").text


@pytest.mark.parametrize("locale,currency", [("en_GB", "GBP"), ("fr_FR", "EUR"),
                                             ("de_DE", "EUR"), ("ja_JP", "JPY")])
def test_page_formats_amounts_as_babel_does(browser, tmp_path, locale, currency):
    from rates.table import currency_digits
    e = Entry(id="e1", date=dt.date(2015, 1, 1), funder="F", purpose="P",
              amount=Decimal(1000), currency=currency)
    r = build_report(ledger.Ledger((e,), {}, {}, None),
                     ReportOptions(currency=currency, locale=locale))
    path = tmp_path / "fmt.html"
    path.write_text(render_html(r), encoding="utf-8")
    _open(browser, path)
    k = currency_digits(currency)
    values = [0, 1, 5, 95030, 99999, 100000, 123456, 999949, 999950, 1234567, 9999999,
              99999999, 99995000, 140000000, 700000000, 1200000000, 999999999, 1000000000,
              12345678901, 509905479452, 300000000000, 122572514239, 999999999999999,
              -140000000, 7138000 * 100, 2 ** 60]
    got = browser.execute_script(
        "return arguments[0].map(function (v) { var b = BigInt(v); return "
        "[window.ledgerFormat.compact(b), window.ledgerFormat.exact(b)]; })",
        [str(v) for v in values])
    for v, (compact, exact) in zip(values, got):
        amount = Decimal(v).scaleb(-k)
        assert compact == format_amount(amount, currency, locale, "compact"), (v, locale)
        assert exact == format_amount(amount, currency, locale, "exact"), (v, locale)


def test_projected_years_are_marked(browser, example_ledger, tmp_path):
    r = build_report(ledger.load(example_ledger),
                     ReportOptions(years="fiscal-uk", horizon="2019-20"))
    path = tmp_path / "h.html"
    path.write_text(render_html(r), encoding="utf-8")
    _open(browser, path)
    rows = browser.find_elements("css selector", "#by-year-table tbody tr.projected")
    assert [r.find_element("css selector", "td").text for r in rows] == \
        ["2018-19 (projected)", "2019-20 (projected)"]
    assert len(browser.find_elements("css selector", "#chart-timeline rect.projected")) == 2


def test_status_table_equals_the_report(browser, reports, example_ledger):
    full, _ = reports
    r = build_report(ledger.load(example_ledger), ReportOptions(years="fiscal-uk"))
    _open(browser, full / "report.html")
    rows = browser.find_elements("css selector", "#by-status-table tbody tr")
    heads = [th.text for th in browser.find_elements("css selector", "#by-status-table th")]
    want = r.by_status.set_index("funder")
    for row in rows[:-1]:
        tds = row.find_elements("css selector", "td")
        funder = tds[0].text
        for head, td in zip(heads[1:], tds[1:]):
            got = int(td.find_element("css selector", "button.amt").get_attribute("data-minor"))
            assert Decimal(got).scaleb(-2) == want.loc[funder, head], (funder, head)


def test_paid_and_outstanding_with_linked_entries(browser, tmp_path):
    """A disbursement of a pledge is not counted again but is paid; a
    restatement is neither: the page's status table equals the report's."""
    from ledger.model import Link
    e = [Entry(id="p", date=dt.date(2015, 1, 1), funder="UK:HO", purpose="S", status="pledged",
               amount=Decimal(1000), currency="GBP"),
         Entry(id="d", date=dt.date(2015, 6, 1), funder="UK:HO", purpose="S", status="disbursed",
               amount=Decimal(400), currency="GBP", links=(Link("disburses", "p"),)),
         Entry(id="r", date=dt.date(2015, 7, 1), funder="UK:HO", purpose="S", status="pledged",
               amount=Decimal(1000), currency="GBP", links=(Link("restates", "p"),)),
         Entry(id="s", date=dt.date(2015, 2, 1), funder="FR", purpose="T", status="spent",
               amount=Decimal(250), currency="GBP")]
    r = build_report(ledger.Ledger(tuple(e), {}, {}, None), ReportOptions())
    path = tmp_path / "status.html"
    path.write_text(render_html(r), encoding="utf-8")
    _open(browser, path)
    heads = [th.text for th in browser.find_elements("css selector", "#by-status-table th")]
    want = r.by_status.set_index("funder")
    assert want.loc["UK:HO", "paid"] == 400 and want.loc["UK:HO", "outstanding"] == 600
    for row in browser.find_elements("css selector", "#by-status-table tbody tr")[:-1]:
        tds = row.find_elements("css selector", "td")
        for head, td in zip(heads[1:], tds[1:]):
            got = int(td.find_element("css selector", "button.amt").get_attribute("data-minor"))
            assert Decimal(got).scaleb(-2) == want.loc[tds[0].text, head], (tds[0].text, head)
    assert _total(browser) == 125_000        # £1,000 + £250: linked entries not counted


def test_amounts_beyond_javascripts_exact_integers_stay_exact(browser, tmp_path):
    big = Decimal("98765432109876.54")        # 9.9e15 minor units > 2**53
    e = [Entry(id=f"e{i}", date=dt.date(2015, 1, 1), funder="F", purpose=f"P{i}",
               amount=big + i, currency="GBP") for i in range(3)]
    r = build_report(ledger.Ledger(tuple(e), {}, {}, None), ReportOptions())
    data = page_data(r)
    assert all(isinstance(m, str) for m in data["cells"]["total"]["m"])
    path = tmp_path / "big.html"
    path.write_text(render_html(r), encoding="utf-8")
    _open(browser, path)
    assert _total(browser) == int((3 * big + 3) * 100)


def test_a_split_entry_is_said_whole_and_shown_per_purpose(example_ledger):
    from ledger.model import Split
    e = Entry(id="s", date=dt.date(2015, 1, 1), funder="UK", purpose="A",
              amount=Decimal(10_000_000), currency="GBP", amount_text="£10 million",
              splits=(Split("A", Decimal(6_000_000)), Split("B", Decimal(4_000_000))))
    r = build_report(ledger.Ledger((e,), {}, {}, None), ReportOptions())
    (entry,) = page_data(r)["entries"]
    assert entry["said"] == format_amount(Decimal(10_000_000), "GBP", "en_GB")
    assert [(row["purpose"], row["minor"]) for row in entry["rows"]] == \
        [("A", 600_000_000), ("B", 400_000_000)]


def test_page_charts_label_every_pledge(browser, reports):
    """The page's own purpose chart: a bar for each of the example's eight
    pledges, each labelled with its amount as babel says it, on a log axis."""
    full, _ = reports
    _open(browser, full / "report.html")
    chart = browser.find_element("id", "chart-purpose")
    bars = chart.find_elements("css selector", "rect.bar")
    labels = [t.text for t in chart.find_elements("css selector", "text.value")]
    assert len(bars) == 8 and len(labels) == 8
    for bar, label in zip(bars, labels):
        amount = format_amount(Decimal(int(bar.get_attribute("data-minor"))).scaleb(-2), "GBP",
                               "en_GB")
        assert label.endswith(amount), (label, amount)
        assert float(bar.get_attribute("width")) > 20          # readable, however small
    assert "log scale" in chart.find_element("css selector", "text.subtitle").text
    browser.find_element("id", "scale").send_keys("linear")
    chart = browser.find_element("id", "chart-purpose")
    assert "linear scale" in chart.find_element("css selector", "text.subtitle").text


def test_account_trees_roll_up_as_the_report_does(browser, reports, example_ledger):
    full, _ = reports
    r = build_report(ledger.load(example_ledger), ReportOptions(years="fiscal-uk"))
    _open(browser, full / "report.html")
    for side, tree in (("funder", r.funder_tree), ("purpose", r.purpose_tree)):
        rows = browser.find_elements("css selector", f"#{side}-tree-table tbody tr")
        got = {row.get_attribute("data-account"):
               int(row.find_element("css selector", "button.amt").get_attribute("data-minor"))
               for row in rows}
        want = {a: int(m.scaleb(2)) for a, m in zip(tree["account"], tree["amount"])}
        assert got == want


# ---------------------------------------------------------------- a newcomer's path (issue 23)
@pytest.fixture(scope="module")
def tampered(example_ledger, seeds_dir, tmp_path_factory):
    """The example's report audited against an archive where one document's
    figure was changed after archiving (10 million euros -> 1 million)."""
    from ledger_tool.cli import main
    base = tmp_path_factory.mktemp("tampered")
    archive = base / "seeds"
    shutil.copytree(seeds_dir, archive)
    doc = archive / "004_f8273654f7973075.txt"
    text = doc.read_text(encoding="utf-8")
    assert "provide 10 million euros" in text
    doc.write_text(text.replace("provide 10 million euros", "provide 1 million euros"),
                   encoding="utf-8")
    out = base / "r"
    assert main(["report", str(example_ledger), "--out", str(out), "--years", "fiscal-uk",
                 "--sources", str(archive)]) == 1          # written, and the audit fails
    return out


def _cited_by(folder: Path, doc: str) -> set[str]:
    rows = csv.DictReader((folder / "sources.csv").open(encoding="utf-8"))
    return {r["entry"] for r in rows if r["document"] == doc}


def test_a_failed_audit_is_a_banner_on_top_and_marks_every_affected_amount(browser, tampered,
                                                                           reports):
    _open(browser, tampered / "report.html")
    banner = browser.find_element("id", "audit-banner")
    summary = browser.find_element("id", "s-summary")
    assert banner.is_displayed() and "audit FAILED" in banner.text
    assert banner.location["y"] < summary.location["y"]
    assert "uk-calais-asylum-humanitarian-2015" in banner.text
    # the entries marked are those citing the changed document, and only they
    want = _cited_by(tampered, "004_f8273654f7973075")
    rows = browser.find_elements("css selector", "#entries-table tbody tr")
    marked = {r.find_element("css selector", "td").text for r in rows
              if "flagged" in r.get_attribute("class")}
    assert marked == want == {"uk-calais-asylum-humanitarian-2015"}
    # each amount that includes it is marked, the others are not
    table = browser.find_element("id", "summary-table")
    heads = [th.text for th in table.find_elements("css selector", "thead th")]
    for row in table.find_elements("css selector", "tbody tr")[:-1]:
        tds = row.find_elements("css selector", "td")
        for head, td in zip(heads[1:-1], tds[1:-1]):
            for b in td.find_elements("css selector", "button.amt"):
                hit = (head, tds[0].text) == ("UK:Home Office", "Humanitarian:Calais")
                assert ("flagged" in b.get_attribute("class")) == hit, (head, tds[0].text)
                assert b.text.startswith("\u26a0") == hit
    assert browser.find_elements("css selector", "#chart-purpose rect.bar.flagged")
    browser.find_element("id", "show-flagged").click()
    cards = browser.find_elements("css selector", "#detail-body .entry.flagged")
    assert [c.get_attribute("id") for c in cards] and "does not confirm" in cards[0].text
    # an audit that passes: no banner, nothing marked
    _open(browser, reports[0] / "report.html")
    assert not browser.find_elements("id", "audit-banner")
    assert not browser.find_elements("css selector", "button.amt.flagged")


def _entry_column(driver, k: int) -> list[str]:
    return [r.find_elements("css selector", "td")[k].text
            for r in driver.find_elements("css selector", "#entries-table tbody tr")]


def _sort(driver, name: str):
    for b in driver.find_elements("css selector", "#entries-table thead button.sort"):
        if b.text.split(" ")[0] == name:
            b.click()
            return
    raise AssertionError(f"no sort button {name!r}")


def test_entries_table_sorts_by_each_column_and_searches(browser, reports):
    full, _ = reports
    _open(browser, full / "report.html")

    def minor():
        return [int(r.find_element("css selector", "button.amt").get_attribute("data-minor"))
                for r in browser.find_elements("css selector", "#entries-table tbody tr")]
    assert minor() == sorted(minor(), reverse=True)          # largest first, as the report
    _sort(browser, "date")
    dates = _entry_column(browser, 1)
    assert dates == sorted(dates) and len(dates) == 8
    _sort(browser, "date")
    assert _entry_column(browser, 1) == sorted(dates, reverse=True)
    _sort(browser, "GBP")
    assert minor() == sorted(minor(), reverse=True)
    _sort(browser, "GBP")
    assert minor() == sorted(minor())
    _sort(browser, "funder")
    assert _entry_column(browser, 2) == sorted(_entry_column(browser, 2))
    head = browser.find_element("css selector", "#entries-table th[aria-sort='ascending']")
    assert head.text.startswith("funder")
    # search: every word must appear in the entry (id, funder, purpose, amount, status, ...)
    rows = list(csv.DictReader((full / "entries.csv").open(encoding="utf-8")))
    box = browser.find_element("id", "entry-search")
    box.send_keys("calais home")
    want = {r["id"] for r in rows if "calais" in (r["purpose"] + r["id"]).lower()
            and r["funder"].startswith("UK:Home Office")}
    assert set(_entry_column(browser, 0)) == want and len(want) >= 2
    assert "match" in browser.find_element("id", "entry-count").text
    box.clear()
    box.send_keys("uk-syria-aid-2015")
    assert _entry_column(browser, 0) == ["uk-syria-aid-2015"]


def test_a_shared_url_reopens_the_same_view(browser, reports):
    """Filters, the chosen scale, the search, the sort and the open
    drill-down live in the URL's fragment: opened afresh, the URL gives the
    same view."""
    full, _ = reports
    _open(browser, full / "report.html")
    _choose(browser, "f", "UK")
    _choose(browser, "y", "2015-16", "2016-17")
    browser.find_element("id", "scale").send_keys("linear")
    _sort(browser, "date")
    browser.find_element("id", "entry-search").send_keys("calais")
    browser.find_element("css selector", "#by-purpose-table tbody button.amt").click()
    head = browser.find_element("id", "detail-head").text
    total = _total(browser)
    entries = _entry_column(browser, 0)
    url = browser.current_url
    assert "#" in url and "f=UK" in url and "open=" in url
    browser.get("about:blank")
    browser.get(url)
    assert browser.execute_script("return document.documentElement.getAttribute('data-ready')")
    from selenium.webdriver.support.ui import Select
    assert [o.get_attribute("value") for o in
            Select(browser.find_element("id", "filter-f")).all_selected_options] == ["UK"]
    assert [o.get_attribute("value") for o in
            Select(browser.find_element("id", "filter-y")).all_selected_options] == \
        ["2015-16", "2016-17"]
    assert _total(browser) == total
    assert browser.find_element("id", "scale").get_attribute("value") == "linear"
    assert browser.find_element("id", "entry-search").get_attribute("value") == "calais"
    assert _entry_column(browser, 0) == entries
    assert browser.find_element("id", "detail").is_displayed()
    assert browser.find_element("id", "detail-head").text == head
    # a URL that names nothing (or garbage) opens the whole report
    browser.get(url.split("#")[0] + "#open=T.99999&f=%3Cscript%3E")     # same page: hashchange
    assert _total(browser) == sum(_summary_minor(full).values())
    assert not browser.find_element("id", "detail").is_displayed()
    browser.get("about:blank")
    browser.get(url.split("#")[0] + "#open=T.99999&f=%3Cscript%3E")
    assert _total(browser) == sum(_summary_minor(full).values())
    assert not browser.find_element("id", "detail").is_displayed()


def test_the_page_works_on_a_390_pixel_phone(browser, reports):
    full, _ = reports
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1,
                             "mobile": True})
    try:
        _open(browser, full / "report.html")
        width = browser.execute_script("return [document.documentElement.scrollWidth, "
                                       "window.innerWidth]")
        assert width == [390, 390]                 # nothing sticks out: no sideways page
        # tables scroll inside their box
        boxes = browser.execute_script(
            "return Array.from(document.querySelectorAll('table')).map(function (t) {"
            " var b = t.closest('.scroll') || t; var r = b.getBoundingClientRect();"
            " return [t.id, r.left, r.right, b.scrollWidth > b.clientWidth]; })")
        assert boxes and all(left >= 0 and right <= 390 for _, left, right, _ in boxes), boxes
        assert any(scrolls for *_, scrolls in boxes)      # the summary matrix is wider
        # every piece of text at 12 px or more, chart text included
        small = browser.execute_script("""
          var out = [];
          document.querySelectorAll('body *').forEach(function (e) {
            var own = Array.from(e.childNodes).some(function (n) { return n.nodeType === 3 && n.textContent.trim(); });
            if (!own || e.closest('svg') || !e.getClientRects().length) return;
            var px = parseFloat(getComputedStyle(e).fontSize);
            if (px < 12) out.push([e.tagName, e.textContent.slice(0, 30), px]);
          });
          document.querySelectorAll('svg text').forEach(function (t) {
            var svg = t.ownerSVGElement, vb = svg.viewBox.baseVal;
            var px = parseFloat(t.getAttribute('font-size')) * svg.getBoundingClientRect().width / vb.width;
            if (t.textContent && px < 12) out.push(['svg', t.textContent.slice(0, 30), px]);
          });
          return out;""")
        assert small == []
        # charts drawn to their box: scaled to the phone, not cut
        for chart in ("purpose", "status", "timeline"):
            w = browser.execute_script(
                f"return [document.getElementById('chart-{chart}').getBoundingClientRect().width,"
                f" document.getElementById('c-{chart}').clientWidth]")
            assert w[0] <= w[1] + 1, (chart, w)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_each_quote_links_to_its_archived_copy_beside_the_page(browser, reports, seeds_dir):
    from urllib.parse import unquote, urlparse
    full, _ = reports
    _open(browser, full / "report.html")
    _choose(browser, "p", "Security:Calais port")
    browser.find_element("css selector", "#by-funder-table button.amt").click()
    cites = browser.find_elements("css selector", "#detail-body .cite")
    assert len(cites) >= 2
    for cite in cites:
        link = cite.find_element("css selector", "a.archived-copy")
        target = Path(unquote(urlparse(link.get_attribute("href")).path))
        assert target.parent == (full / "sources").resolve()
        # the copy is the archived file itself, and holds the quote
        assert target.read_bytes() == (seeds_dir / target.name).read_bytes()
        quote = cite.find_element("css selector", "mark").text
        assert " ".join(quote.split()) in " ".join(target.read_text(encoding="utf-8").split())
    # only the cited documents are shipped
    cited = {r["document"] for r in csv.DictReader((full / "sources.csv").open(encoding="utf-8"))}
    assert {p.stem for p in (full / "sources").iterdir()} == cited
@pytest.mark.parametrize("posix,tag", [("en_GB.UTF-8", "en-GB"), ("fr_FR@euro", "fr-FR"),
                                       ("C.UTF-8", "en"), ("POSIX", "en"), ("de-DE", "de-DE")])
def test_a_posix_locale_gives_the_page_a_tag_the_browser_takes(browser, tmp_path, run_cli,
                                                               posix, tag):
    """A ledger's locale written as POSIX writes it passed check, then the
    page's script stopped with a RangeError (44 cells drawn of 272)."""
    f = tmp_path / "j.toml"
    f.write_text(f'[ledger]\nlocale = "{posix}"\n' + "".join(
        f'[[entry]]\nid = "e{i}"\ndate = 2015-01-0{i + 1}\nfunder = "F{i}"\npurpose = "P{i % 2}"\n'
        f'amount = "£{i + 1}m"\n' for i in range(4)), encoding="utf-8")
    code, _, err = run_cli("check", f)
    assert code == 0, err
    code, _, err = run_cli("report", f, "--out", tmp_path / "r")
    assert code == 0, err
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert f'"lang":"{tag}"' in page
    browser.get_log("browser")
    _open(browser, tmp_path / "r" / "report.html")
    assert not [x for x in browser.get_log("browser") if x["level"] == "SEVERE"]
    cells = browser.find_elements("css selector", "#summary-table tbody td")
    assert len(cells) >= 4 * 3


@given(st.lists(st.lists(st.integers(-(10 ** 12), 10 ** 12), max_size=6), max_size=8))
def test_entry_lists_are_the_lists_and_their_json(cells):
    """The page's entry lists as one array: the same lists, and the same
    JSON text as the encoder writes for them, whatever the cells' sizes
    (empty cells first, last or in between) and the numbers' widths."""
    flat = [x for c in cells for x in c]
    bounds = [0]
    for c in cells:
        bounds.append(bounds[-1] + len(c))
    lists = EntryLists(flat, bounds)
    assert list(lists) == cells and lists == cells and len(lists) == len(cells)
    assert lists.json_text() == json.dumps(cells, separators=(",", ":"))
    data = {"cells": {"total": {"f": [1], "e": lists}}}
    assert _data_json(data) == script_json({"cells": {"total": {"f": [1], "e": cells}}})


@given(st.lists(st.lists(st.integers(0, 30), max_size=6, unique=True), min_size=1, max_size=10),
       st.lists(st.lists(st.integers(0, 30), max_size=6, unique=True), max_size=10),
       st.integers(0, 12), st.sets(st.integers(0, 30)), st.data())
def test_entry_groups_count_every_choice_of_cells_whole(total, years, shown, flagged, data):
    """The page's groups of entries (``entry_groups``): for any choice of
    cells, the sizes of the distinct groups behind them are the number of
    distinct entries behind them, and of flagged ones; a shown entry keeps
    its place."""
    lists = {"t": total, "y": years}
    grouped, counts, bad = entry_groups(lists, shown, sorted(flagged))

    def size(g):
        return 1 if g < shown else counts[g - shown]

    for key, cells in lists.items():
        got = list(grouped[key])
        assert len(got) == len(cells)
        for k, c in enumerate(cells):
            assert [g for g in got[k] if g < shown] == sorted(i for i in c if i < shown)
        if not cells:
            continue
        chosen = data.draw(st.sets(st.integers(0, len(cells) - 1)))
        entries = {i for k in chosen for i in cells[k]}
        groups = {g for k in chosen for g in got[k]}
        assert sum(size(g) for g in groups) == len(entries)
        assert sum(size(g) for g in groups if g in set(bad)) == len(entries & flagged)


def _shown_counts(driver) -> dict:
    """The page's counts of entries: the state line's, and each row's of the
    by-purpose and by-funder tables."""
    out = {"state": re.search(r" in (\d+) entr", driver.find_element("id", "filter-state").text)[1]}
    for table in ("by-purpose-table", "by-funder-table"):
        for row in driver.find_elements("css selector", f"#{table} tbody tr"):
            tds = row.find_elements("css selector", "td")
            out[(table, tds[0].text)] = tds[2].text
    return out


def test_a_page_carrying_a_few_entries_counts_every_one(browser, tmp_path, run_cli):
    """A partitioned dataset's report of 400 generated entries (splits,
    entries over several years) whose page lists the 5 largest, the others
    in groups: every count of entries on it, unfiltered and filtered by
    funder and by year, is the count of the page listing all 400, and the
    unfiltered one the generator's."""
    from tests.conftest import generate_module

    dataset = tmp_path / "gen.parquet"
    generate_module().write_dataset(dataset, 400, seed=3, chunk=200)
    pages = {}
    for name, limit in (("few", "5"), ("all", "all")):
        code, _, err = run_cli("report", dataset, "--out", tmp_path / name,
                               "--entries-sheet-limit", limit)
        assert code == 0, err
        pages[name] = tmp_path / name / "report.html"
    few = _page_data(pages["few"])
    assert len(few["entries"]) == 5 and len(few["groups"]) > 0
    assert len(_page_data(pages["all"])["entries"]) == 400
    seen: dict = {}
    for name, page in pages.items():
        _open(browser, page)
        seen[name] = [_shown_counts(browser)]
        _choose(browser, "f", "UK")
        seen[name].append(_shown_counts(browser))
        _choose(browser, "y", "2010")
        seen[name].append(_shown_counts(browser))
    assert seen["few"] == seen["all"]
    # the state line counts the entries its total adds up: those linked to none
    raw = pads.dataset(dataset, format="parquet", partitioning="hive").to_table(
        columns=["id", "disburses", "part_of", "restates"]).to_pylist()
    assert len({r["id"] for r in raw}) == 400
    assert seen["few"][0]["state"] == str(len(
        {r["id"] for r in raw if not (r["disburses"] or r["part_of"] or r["restates"])}))
    assert int(seen["few"][1]["state"]) < 400 and int(seen["few"][2]["state"]) > 0


def _flagged_by_cell(data: dict) -> dict:
    """Each cell's (by its values, not its place) count of flagged entries:
    the flagged places behind it, or on a grouped page the sizes of its
    flagged groups."""
    d, shown = data["dims"], len(data["entries"])
    bad = set(data["meta"]["audit"]["flagged"])
    groups = data["groups"]

    def size(g):
        return 1 if groups is None or g < shown else groups[g - shown]

    out = {}
    for key, c in data["cells"].items():
        for k, e in enumerate(c["e"]):
            at = (key, d["funder"][c["f"][k]], d["purpose"][c["p"][k]], d["status"][c["s"][k]],
                  d["qualifier"][c["q"][k]], c["r"][k],
                  d["year"][c["y"][k]] if "y" in c else None, c["o"][k] if "o" in c else None)
            n = sum(size(g) for g in e if g in bad)
            if n:
                out[at] = out.get(at, 0) + n
    return out


def test_a_datasets_page_marks_the_flagged_entries_it_does_not_list(browser, tmp_path,
                                                                   run_cli):
    """A dataset's page listing its largest entry only, audited: every
    entry citing an undeclared document is flagged (5 of the 6 rows; part2
    cites none), listed or not, as on the same rows' bulk CSV page: the
    banner's count, each cell's flagged entries, the ⚠ marks."""
    from tests.ledger_tool.test_dataset_audit import ROWS
    from tests.reports.test_dataset import _dataset_and_bulk

    root, bulk = _dataset_and_bulk(tmp_path / "aud", ROWS)
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "notes.txt").write_text("UK pledged £1m.\n", encoding="utf-8")
    flagged = {r["id"] for r in ROWS if r.get("sources")}
    assert len(flagged) == 5
    pages, data = {}, {}
    for book, name in ((root, "d"), (bulk, "w")):
        code, _, err = run_cli("report", book, "--out", tmp_path / name, "--sources", archive,
                               "--entries-sheet-limit", "1")
        assert code == 1, err      # the audit fails: undeclared documents
        pages[name] = tmp_path / name / "report.html"
        data[name] = _page_data(pages[name])
    assert data["d"]["groups"] and len(data["d"]["entries"]) == 1
    assert data["d"]["meta"]["audit"]["count"] == len(flagged)
    assert len(data["w"]["meta"]["audit"]["flagged"]) == len(flagged)    # places, ungrouped
    assert _flagged_by_cell(data["d"]) == _flagged_by_cell(data["w"])
    marks = {}
    for name, page in pages.items():
        _open(browser, page)
        marks[name] = (browser.find_element("id", "show-flagged").text,
                       sorted(b.text for b in browser.find_elements(
                           "css selector", "button.amt.flagged")),
                       len(browser.find_elements("css selector", "rect.bar.flagged")))
    assert marks["d"] == marks["w"]
    assert marks["d"][0] == f"Show the {len(flagged)} affected entries"
    assert marks["d"][1] and marks["d"][2]
    # the panel says how many of them the page can show (it lists one entry)
    cut = {}
    for name, page in pages.items():
        _open(browser, page)
        browser.find_element("id", "show-flagged").click()
        cut[name] = [p.text for p in browser.find_elements("id", "flagged-cut")]
    listed = len([i for i in data["d"]["meta"]["audit"]["flagged"]
                  if i < len(data["d"]["entries"])])
    assert listed < len(flagged) and cut["w"] == cut["d"]
    assert len(cut["d"]) == 1 and f"carries {listed} of the {len(flagged)} entries" in cut["d"][0]


def _page_data(path: Path) -> dict:
    return json.loads(re.search(r'id="report-data">(.*?)</script>', path.read_text(), re.S)[1])
