"""Report renderers: workbook read back, formulas recalculated, charts, HTML, CLI."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

import ledger
from ledger.model import Citation, Document, Entry
from reports.tables import TOTAL, ReportOptions, build_report

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def report(example_ledger):
    return build_report(ledger.load(example_ledger), ReportOptions())


@pytest.fixture(scope="module")
def xlsx(report, tmp_path_factory):
    from reports.charts import write_charts
    from reports.workbook import write_workbook
    d = tmp_path_factory.mktemp("wb")
    charts = write_charts(report, d)
    return write_workbook(d / "report.xlsx", report, charts=charts)


def _num(v) -> Decimal:
    return Decimal(str(v)) if v is not None else Decimal(0)


def recalc(ws, cell, _seen=None):
    """Evaluate our formulas (SUM, SUMIF, IF(x=0,0,a/b), a-b) from the read-back
    cells, as a spreadsheet would on opening."""
    v = ws[cell].value
    if not (isinstance(v, str) and ws[cell].data_type == "f"):
        return _num(v) if not isinstance(v, str) else v
    m = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", v)
    if m:
        rng = ws[f"{m[1]}{m[2]}:{m[3]}{m[4]}"]
        return sum((recalc(ws, c.coordinate) for row in rng for c in row), Decimal(0))
    m = re.fullmatch(r'=SUMIF\(([A-Z]+\d+:[A-Z]+\d+),"(\w+)",([A-Z]+\d+:[A-Z]+\d+)\)', v)
    if m:
        crit = [c.value for row in ws[m[1]] for c in row]
        vals = [recalc(ws, c.coordinate) for row in ws[m[3]] for c in row]
        return sum((x for k, x in zip(crit, vals) if k == m[2]), Decimal(0))
    m = re.fullmatch(r"=([A-Z]+\d+)-([A-Z]+\d+)", v)
    if m:
        return recalc(ws, m[1]) - recalc(ws, m[2])
    m = re.fullmatch(r"=IF\(\$([A-Z]+)\$(\d+)=0,0,([A-Z]+\d+)/\$([A-Z]+)\$(\d+)\)", v)
    if m:
        den = recalc(ws, f"{m[1]}{m[2]}")
        return Decimal(0) if den == 0 else recalc(ws, m[3]) / den
    raise AssertionError(f"unexpected formula {v!r} in {ws.title}!{cell}")


def _find_row(ws, label, col=1):
    for row in ws.iter_rows(min_row=3):
        if row[col - 1].value == label:
            return row[0].row
    raise AssertionError(f"{label!r} not in {ws.title}")


def test_workbook_sheets_layout(xlsx):
    wb = openpyxl.load_workbook(xlsx)
    for name in ("About", "Summary", "By purpose", "By funder", "By year", "By status",
                 "Comparison", "Entries", "Sources", "Charts"):
        assert name in wb.sheetnames
    assert wb.sheetnames[0] == "About"
    for name in ("Summary", "By purpose", "By year", "By status", "Entries", "Sources"):
        ws = wb[name]
        assert ws.freeze_panes in ("A3", "B3")
        assert "GBP" in str(ws["A1"].value) or name == "Sources"
        # an Excel table over the header and data rows (not the total row under them)
        (table,) = ws.tables.values()
        first, last = table.ref.split(":")
        assert first == "A2" and table.tableStyleInfo.showRowStripes
        last_row = int(re.sub(r"[A-Z]", "", last))
        assert ws.cell(last_row + 1, 1).value in (None, TOTAL, "Total counted (counted = yes)")
        assert ws.cell(last_row, 1).value not in (None, TOTAL)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth >= 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["Summary"].page_setup.fitToWidth == 1
    assert wb["Entries"].page_setup.fitToWidth > 1        # 19 columns: across pages, readable
    assert wb["Entries"].print_title_rows == "$1:$2"
    assert wb["Charts"]._images, "charts are embedded"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=3, max_col=2, values_only=True) if r[0]}
    assert about["Report currency"] == "GBP" and about["Valuation"] == "entry-date"
    assert about["Basis"] == "total" and "calendar" in about["Years"]
    assert about["Horizon for open-ended amounts"] == "2017"


def test_summary_values_and_formulas_match_the_report(xlsx, report):
    ws = openpyxl.load_workbook(xlsx)["Summary"]
    headers = [c.value for c in ws[2]]
    funders = list(report.matrix.columns)
    assert headers == ["purpose", *funders, TOTAL]
    n = len(report.matrix)
    for i, (purpose, row) in enumerate(report.matrix.iterrows()):
        r = 3 + i
        assert ws.cell(r, 1).value == purpose
        for j, f in enumerate(funders):
            assert _num(ws.cell(r, 2 + j).value) == row[f]
        last = openpyxl.utils.get_column_letter(1 + len(funders))
        assert ws.cell(r, 2 + len(funders)).value == f"=SUM(B{r}:{last}{r})"
    total_row = 3 + n
    assert ws.cell(total_row, 1).value == TOTAL
    assert ws.cell(total_row, 2).value == f"=SUM(B3:B{total_row - 1})"
    grand = recalc(ws, f"{openpyxl.utils.get_column_letter(2 + len(funders))}{total_row}")
    assert grand == sum(report.summary["amount"], Decimal(0))
    assert "£" in ws.cell(3, 2).number_format


def test_every_total_recalculates_to_the_ledger_totals(xlsx, report):
    wb = openpyxl.load_workbook(xlsx)
    total = sum(report.summary["amount"], Decimal(0))
    ws = wb["By purpose"]
    r = _find_row(ws, TOTAL)
    assert recalc(ws, f"B{r}") == total
    assert recalc(ws, f"F{r}") == 1
    ws = wb["By funder"]
    assert recalc(ws, f"B{_find_row(ws, TOTAL)}") == total
    ws = wb["By year"]
    r = _find_row(ws, TOTAL)
    assert recalc(ws, f"{openpyxl.utils.get_column_letter(ws.max_column)}{r}") == total
    ws = wb["By status"]
    r = _find_row(ws, TOTAL)
    cols = [c.value for c in ws[2]]

    def L(name):
        return openpyxl.utils.get_column_letter(cols.index(name) + 1)
    assert recalc(ws, f"{L('total')}{r}") == total
    assert recalc(ws, f"{L('outstanding')}{r}") == total - sum(report.by_status["paid"], Decimal(0))
    ws = wb["Comparison"]
    r = _find_row(ws, TOTAL)
    assert recalc(ws, f"{openpyxl.utils.get_column_letter(ws.max_column)}{r}") == total
    ws = wb["Entries"]
    r = _find_row(ws, "Total counted (counted = yes)")
    col = [c.value for c in ws[2]].index("normalised") + 1
    assert recalc(ws, ws.cell(r, col).coordinate) == total


def test_entries_sheet_rows(xlsx, report):
    ws = openpyxl.load_workbook(xlsx)["Entries"]
    headers = [c.value for c in ws[2]]
    for need in ("amount as written", "original currency", "normalised", "rate", "rate date",
                 "rate source", "period", "status", "funder", "purpose", "sources"):
        assert need in headers
    rows = {r[0]: dict(zip(headers, r)) for r in ws.iter_rows(min_row=3, values_only=True)
            if r[0] in set(report.entries["id"])}
    assert len(rows) == report.entries["id"].nunique()
    fr = rows["france-calais-humanitarian-2015"]
    assert fr["amount as written"] == "10 million Euros a year" and fr["original currency"] == "EUR"
    want = report.entries.set_index("id").loc["france-calais-humanitarian-2015", "normalised"]
    assert _num(fr["normalised"]) == want
    assert isinstance(fr["rate date"], dt.datetime)


def test_source_text_starting_with_formula_characters_stays_text(tmp_path):
    from reports.workbook import write_workbook
    evil = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)"]
    docs = {"d1": Document(id="d1", title="=cmd|' /C calc'!A0", publisher="@pub",
                           url="https://example.org/a")}
    entries = tuple(Entry(id=f"e{i}", date=dt.date(2015, 1, 1), funder="-F", purpose="=P",
                          amount=Decimal(10 + i), currency="GBP", amount_text=q,
                          sources=(Citation("d1", q),)) for i, q in enumerate(evil))
    r = build_report(ledger.Ledger(entries, docs, {"name": "=evil"}, None), ReportOptions())
    path = write_workbook(tmp_path / "x.xlsx", r)
    wb = openpyxl.load_workbook(path)
    ws = wb["Sources"]
    quotes = [row[5] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert sorted(quotes) == sorted(evil)
    for row in ws.iter_rows(min_row=3):
        for c in row:
            if isinstance(c.value, str):
                assert c.data_type == "s", (c.coordinate, c.value)
    assert ws["B3"].value.startswith("=") and ws["B3"].quotePrefix
    assert ws["E3"].hyperlink.target == "https://example.org/a"
    for name in ("Entries", "Summary", "About"):
        for row in wb[name].iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert re.match(r"=(SUM|SUMIF|IF)\(|=[A-Z]+\d+-[A-Z]+\d+$", c.value), c.value


def test_extra_sheets_hook(tmp_path, report):
    import pandas as pd
    from reports.workbook import write_workbook
    seen = []
    extra = [("Audit", pd.DataFrame({"check": ["=quote"], "result": ["ok"]})),
             lambda wb, rep: seen.append(rep) or wb.create_sheet("Custom")]
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "e.xlsx", report, extra_sheets=extra))
    assert wb.sheetnames[-2:] == ["Audit", "Custom"] and seen == [report]
    assert wb["Audit"]["A3"].value == "=quote" and wb["Audit"]["A3"].data_type == "s"


def test_native_charts_draw_from_the_sheets_cells(report, tmp_path):
    from reports.workbook import build_workbook
    wb = build_workbook(report)      # streaming: rows written, charts not yet
    ws = wb["By purpose"]
    (chart,) = ws._charts
    n = len(report.by_purpose)
    assert chart.series[0].val.numRef.f == f"'By purpose'!$B$3:$B${2 + n}"
    assert chart.series[0].cat.numRef.f == f"'By purpose'!$A$3:$A${2 + n}" or \
        chart.series[0].cat.strRef.f == f"'By purpose'!$A$3:$A${2 + n}"
    assert chart.y_axis.scaling.logBase == 10            # £1.4m beside £5.1bn
    # the labels' number format uses the locale's own billions suffix (CLDR's: computed with babel)
    from babel.numbers import format_compact_currency
    suffix = re.sub(r"[\d.,\s£\u00a0]", "", format_compact_currency(5_000_000_000, "GBP",
                                                                    locale="en_GB"))
    labels = chart.dataLabels
    assert labels.showVal and f'"{suffix}"' in labels.numFmt.formatCode
    # the value alone, in the compact format (not the cells' exact one)
    assert labels.showSerName is False and labels.showCatName is False
    assert labels.numFmt.sourceLinked is False
    # the axis spans the data: a decade under £1.4m, not from £1
    assert chart.y_axis.scaling.min == 100_000 and chart.y_axis.scaling.max == 10 ** 10
    # below the table (its total row), not beside it, on a page of its own
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", chart.anchor).groups()
    assert col == "A" and int(row) > 3 + n
    assert [b.id for b in ws.row_breaks.brk] == [int(row) - 1]
    (chart,) = wb["Summary"]._charts
    assert len(chart.series) == len(report.matrix.columns)
    assert len(wb["By year"]._charts) == 1 and len(wb["By status"]._charts) == 1
    wb.save(tmp_path / "charts.xlsx")   # a write-only workbook is finished by its one save
    assert len(openpyxl.load_workbook(tmp_path / "charts.xlsx")["By purpose"]._charts) == 1


def test_projected_years_marked_in_the_workbook(example_ledger, tmp_path):
    from reports.workbook import write_workbook
    r = build_report(ledger.load(example_ledger), ReportOptions(horizon="2019"))
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "h.xlsx", r))["By year"]
    years = [row[0] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]]
    assert years[-3:] == ["2018 (projected)", "2019 (projected)", TOTAL]
    assert ws.cell(3 + years.index("2018 (projected)"), 2).fill.fill_type == "lightUp"
    assert "projected" in ws["A1"].value


def test_formula_cells_carry_their_values(xlsx, report):
    """Every formula carries a cached value equal to what it computes, so
    pandas and openpyxl's data_only reading see the totals unrecalculated."""
    import pandas as pd
    formulas = openpyxl.load_workbook(xlsx)
    values = openpyxl.load_workbook(xlsx, data_only=True)
    n = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    got = values[ws.title][c.coordinate].value
                    assert got is not None, (ws.title, c.coordinate)
                    want = recalc(ws, c.coordinate)
                    assert abs(Decimal(str(got)) - want) < Decimal("1e-12"), (ws.title, c.coordinate)
                    n += 1
    assert n > 50
    total = sum(report.summary["amount"], Decimal(0))
    summary = pd.read_excel(xlsx, sheet_name="Summary", header=1)
    assert Decimal(str(summary.iloc[-1]["Total"])).quantize(Decimal("0.01")) == total
    entries = pd.read_excel(xlsx, sheet_name="Entries", header=1)
    counted = entries[entries["id"] == "Total counted (counted = yes)"]
    assert Decimal(str(counted["normalised"].iloc[0])).quantize(Decimal("0.01")) == total


def _pdf_sizes(page, words) -> dict[str, float]:
    """The printed size (pt) of each of ``words`` on a PDF page."""
    import math
    sizes: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        t = text.strip()
        if t in words:
            a, b = tm[0], tm[1]
            sizes[t] = size * math.hypot(a * cm[0] + b * cm[2], a * cm[1] + b * cm[3])
    page.extract_text(visitor_text=visit)
    return sizes


def test_libreoffice_prints_tables_readable_and_charts_whole(xlsx, tmp_path):
    """Printed by LibreOffice: each table at a readable size (its chart is on
    a page of its own below it, not beside it), the chart labels the value
    alone in compact money, every chart and picture on one page."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed")
    import pypdf
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(xlsx)], check=True, timeout=180, capture_output=True)
    pages = pypdf.PdfReader(tmp_path / "report.pdf").pages
    texts = [p.extract_text() for p in pages]
    heads = {"Summary": "purpose", "By funder": "funder", "By year": "year",
             "Entries": "id", "Sources": "document"}
    for sheet, word in heads.items():
        sizes = [s for p in pages for k, s in _pdf_sizes(p, {word}).items()]
        assert sizes and min(sizes) >= 6.5, (sheet, sizes)
    # chart labels: the value alone, in compact money (pypdf reads clipped
    # drawings too, so the whole document's text is searched)
    text = "\n".join(texts)
    assert "£5.1bn" in text and "£217.0m" in text and "£1.4m" in text
    assert not re.search(r"Africa; France:Government|Government; £", text)
    assert "£100,000" in text                              # the log axis starts near the data
    assert len(pages) < 30
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: pages not looked at")
    from PIL import Image
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True, timeout=120)
    inks = []
    for png in sorted(tmp_path.glob("page-*.png")):
        grey = Image.open(png).convert("L")
        box = grey.point(lambda v: 255 if v < 200 else 0).getbbox()
        inks.append((box, grey.size))
    # the Summary table's page holds the table alone (its chart is on the next page)
    (box, (w, h)) = inks[1]
    assert box[3] < h / 2, box
    # each picture of the Charts sheet whole on its own page: ink well inside the page
    for box, (_, h) in inks[-4:]:
        assert box and box[1] > h * 0.03 and box[3] < h * 0.9, (box, h)


def test_libreoffice_opens_charts_and_prints_landscape(xlsx, tmp_path):
    import zipfile
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed")
    for fmt in ("ods", "pdf"):
        subprocess.run([soffice, "--headless", "--convert-to", fmt, "--outdir", str(tmp_path),
                        str(xlsx)], check=True, timeout=180, capture_output=True)
    with zipfile.ZipFile(tmp_path / "report.ods") as z:
        objects = {n.split("/")[0] for n in z.namelist()
                   if n.startswith("Object ") and n.endswith("content.xml")}
        charts = [z.read(f"{o}/content.xml").decode() for o in sorted(objects)]
    assert len(charts) == 4 and all("chart:class=\"chart:bar\"" in c for c in charts)
    assert sum('chart:logarithmic="true"' in c for c in charts) == 4
    import pypdf
    pages = pypdf.PdfReader(tmp_path / "report.pdf").pages
    assert all(p.mediabox.width > p.mediabox.height for p in pages)
    assert len(pages) < 45


def test_libreoffice_recalculation(xlsx, report, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed; totals are recalculated in "
                    "Python by test_every_total_recalculates_to_the_ledger_totals")
    subprocess.run([soffice, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
                    "--outdir", str(tmp_path), str(xlsx)], check=True, timeout=180,
                   capture_output=True)
    out = next(tmp_path.glob("report*Summary*.csv"), None) or tmp_path / "report.csv"
    rows = list(csv.reader(out.open(encoding="utf-8")))
    total = [r for r in rows if r and r[0] == TOTAL][0]
    grand = Decimal(re.sub(r"[^\d.]", "", total[-1]))
    assert grand == sum(report.summary["amount"], Decimal(0))
    # the value the file carries, unrecalculated, is LibreOffice's
    import pandas as pd
    cached = pd.read_excel(xlsx, sheet_name="Summary", header=1).iloc[-1]["Total"]
    assert Decimal(str(cached)).quantize(Decimal("0.01")) == grand


# ---------------------------------------------------------------- charts
def test_purpose_chart_bars_and_labels(report):
    from reports.charts import purpose_figure
    fig = purpose_figure(report)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Development:Africa"
    n_funders = len(report.matrix.columns)
    assert len(ax.containers) == n_funders
    widths = [sum(b.get_width() for b in c) for c in ax.containers]
    assert abs(sum(widths) - float(sum(report.summary["amount"], Decimal(0)))) < 1
    title = ax.get_title().replace("\n", " ")
    assert "GBP" in title and "entry's date" in title and "2017" in title
    assert "GBP" not in ax.get_xlabel()            # said once, in the title
    ticks = [ax.xaxis.get_major_formatter()(x) for x in ax.get_xticks()]
    from babel.numbers import format_compact_currency
    assert format_compact_currency(1e9, "GBP", locale="en_GB") in ticks


def test_every_pledge_is_a_readable_bar(report):
    """The example's eight pledges span £1.4m to £5.1bn: each is its own bar,
    labelled with its value (qualifier kept), on a log axis by default."""
    from reports.amounts import format_amount
    from reports.charts import purpose_figure
    ax = purpose_figure(report).axes[0]
    assert ax.get_xscale() == "log"
    bars = [b for c in ax.containers for b in c]
    assert len(bars) == 8
    left, right = ax.get_xlim()
    import math
    for b in bars:   # at least a tenth of the axis wide: readable
        assert (math.log10(b.get_width()) - math.log10(left)) / \
            (math.log10(right) - math.log10(left)) > 0.05
    labels = {t.get_text() for t in ax.texts}
    assert "up to " + format_amount(Decimal(7_000_000), "GBP", "en_GB") in labels
    assert format_amount(Decimal(1_400_000), "GBP", "en_GB") in labels
    assert any(t.startswith("at least ") for t in labels)
    assert purpose_figure(report, scale="linear").axes[0].get_xscale() == "linear"
    exact = {t.get_text() for t in purpose_figure(report, amounts="exact").axes[0].texts}
    from babel.numbers import format_currency
    assert format_currency(1_400_000, "GBP", locale="en_GB") in exact


def test_status_chart_stages(report):
    from reports.charts import status_figure, status_stages
    st = status_stages(report)
    assert list(st.columns) == ["pledged", "committed", "paid"]
    assert sum(st["pledged"], Decimal(0)) == sum(report.summary["amount"], Decimal(0))
    fr = st.loc["France:Government"]
    assert fr["committed"] == fr["pledged"] and fr["paid"] == 0
    ax = status_figure(report).axes[0]
    assert len(ax.containers) == 3
    assert sum(b.get_width() for b in ax.containers[0]) == pytest.approx(
        float(sum(st["pledged"], Decimal(0))))


def test_many_purposes_fold_into_other():
    entries = tuple(Entry(id=f"e{i}", date=dt.date(2015, 1, 1), funder=f"F{i % 3}",
                          purpose=f"P{i:02d}", amount=Decimal(1000 * (i + 1)), currency="EUR")
                    for i in range(60))
    r = build_report(ledger.Ledger(entries, {}, {}, None),
                     ReportOptions(currency="EUR", locale="fr_FR", top=10))
    from reports.charts import comparison_figure, purpose_figure
    ax = purpose_figure(r).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # nine purposes, then "(other)" with one bar per funder
    assert len(set(labels)) == 10 and labels[-1] == "(other)" and labels[0] == "P59"
    assert labels.count("(other)") == 3
    widths = [sum(b.get_width() for b in c) for c in ax.containers]
    assert abs(sum(widths) - sum(1000 * (i + 1) for i in range(60))) < 1e-6
    from babel.numbers import format_compact_currency
    assert ax.xaxis.get_major_formatter()(12_000) == format_compact_currency(
        12_000, "EUR", locale="fr_FR")
    assert len(set(t.get_text() for t in comparison_figure(r).axes[0].get_yticklabels())) == 10


def test_timeline_chart_matches_by_year(report):
    from reports.charts import timeline_figure
    ax = timeline_figure(report).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(report.by_year.index)
    for c, funder in zip(ax.containers, report.by_year.columns):
        assert [round(b.get_height(), 2) for b in c] == [float(v) for v in report.by_year[funder]]
    assert "2017" in ax.get_title()


def test_timeline_marks_projected_years(example_ledger):
    r = build_report(ledger.load(example_ledger), ReportOptions(horizon="2019"))
    assert r.last_bounded == "2017" and r.projected == ("2018", "2019")
    assert r.open_by_year.loc["2018"].sum() == r.by_year.loc["2018"].sum()
    from reports.charts import timeline_figure
    ax = timeline_figure(r).axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[-2:] == ["2018\nprojected", "2019\nprojected"] and ticks[0] == "2014"
    assert "projection" in ax.get_title()
    assert any("projections" in n and "2018, 2019" in n for n in r.notes)


# ---------------------------------------------------------------- HTML
def test_html_is_self_contained_and_escaped(tmp_path):
    from reports.html import render_html
    docs = {"d": Document(id="d", title="<script>alert(1)</script>", url="javascript:x")}
    e = Entry(id="e1", date=dt.date(2015, 1, 1), funder="A&B", purpose="<b>p</b>",
              amount=Decimal(12_000_000), currency="GBP", amount_text="£12m",
              sources=(Citation("d", "\"quoted\" <i>"),))
    r = build_report(ledger.Ledger((e,), docs, {}, None), ReportOptions())
    page = render_html(r, extra_sections=[("Audit", "<p>fine</p>")])
    # two script elements: the data (JSON, inert) and the page's own code
    assert page.count("<script") == 2 and "<title>" in page
    assert "<script>alert" not in page and "<b>p</b>" not in page and "A&B" not in page
    assert 'href="javascript' not in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert page.index("<h2>Audit</h2>") > page.index("<h2>About these figures</h2>")
    assert "default-src 'none'" in page     # a browser fetches nothing


def test_progress_is_quiet_without_a_terminal():
    from reports.progress import Progress
    buf = io.StringIO()
    p = Progress("report", stream=buf)
    p.step("working")
    p.done()
    assert buf.getvalue() == "" and p.steps == ["working"]
    loud = Progress("report", stream=buf, enabled=True)
    loud.step("working")
    assert "working" in buf.getvalue()


# ---------------------------------------------------------------- CLI
def test_cli_report_end_to_end(run_cli, example_ledger, tmp_path):
    code, out, err = run_cli("report", example_ledger, "--out", tmp_path)
    assert code == 0, err
    for name in ("report.xlsx", "report.html", "summary.csv", "chart-purpose.png",
                 "chart-purpose.svg", "chart-timeline.svg", "chart-comparison.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    book = ledger.load(example_ledger)
    rep = build_report(book, ReportOptions())
    rows = list(csv.DictReader((tmp_path / "summary.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["funder", "purpose", "amount", "currency", "qualifiers"]
    # the qualifiers kept, and one total row last: the report's total
    assert rows[-1]["funder"] == "(total)" and [r["funder"] for r in rows].count("(total)") == 1
    total = sum(rep.summary["amount"], Decimal(0))
    assert Decimal(rows[-1]["amount"]) == total == sum(Decimal(r["amount"]) for r in rows[:-1])
    quals = {(r["funder"], r["purpose"]): r["qualifiers"] for r in rows}
    assert quals[("UK:Home Office", "Security:Channel Tunnel railhead")] == "up to (1)"
    assert quals[("France:Government", "Development:Africa")] == "at least (1)"
    from reports.amounts import format_amount
    assert format_amount(Decimal(12_000_000), "GBP", "en_GB") in out and "(total)" in out
    assert "up to (1)" in out
    assert "wrote" in err and "wrote" not in out
    assert (tmp_path / "chart-status.png").stat().st_size > 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="report-data"' in page and "entry-date" in page
    code, out, err = run_cli("report", example_ledger, "--out", tmp_path, "--amounts", "exact",
                             "--scale", "linear", "--force")   # replaces the report just written
    from babel.numbers import format_currency
    assert code == 0 and format_currency(12_000_000, "GBP", locale="en_GB") in out


def test_cli_report_options_and_errors(run_cli, example_ledger, tmp_path):
    code, out, err = run_cli("report", example_ledger, "--out", tmp_path, "--currency", "EUR",
                             "--years", "fiscal-uk", "--locale", "fr_FR", "--funder", "UK",
                             "--compare", "UK:Home Office", "--compare", "UK:Government",
                             "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["currency"] for r in rows} == {"EUR"}
    assert not any(r["funder"].startswith("France") for r in rows)
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert [c.value for c in wb["Comparison"][2]][1:3] == ["UK:Home Office", "UK:Government"]
    assert wb["By year"]["A3"].value == "2014-15"
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path, "--valuation", "soon")
    assert code == 2 and "valuation" in err
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path, "--horizon", "next",
                           "--force")   # tmp_path holds the first report
    assert code == 1 and "horizon" in err and "Traceback" not in err
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = run_cli("report", example_ledger, "--out", f)
    assert code == 1 and "not a folder" in err


def test_notes_say_qualified_amounts_as_people_do(example_ledger):
    from babel.numbers import format_compact_currency, format_currency
    book = ledger.load(example_ledger)
    r = build_report(book, ReportOptions(locale="fr_FR", currency="EUR"))
    said = format_compact_currency(Decimal(3_000_000_000), "EUR", locale="fr_FR",
                                   fraction_digits=1)
    assert any(f"france-africa-development-2015 (at least {said} a year)" in n for n in r.notes)
    r = build_report(book, ReportOptions(amounts="exact"))
    exact = format_currency(Decimal(7_000_000), "GBP", locale="en_GB")
    assert any(f"uk-coquelles-railhead-2015 (up to {exact})" in n for n in r.notes)


def test_charts_drawn_beside_the_other_files_fail_in_one_line(tmp_path, example_ledger, run_cli,
                                                             monkeypatch):
    """The charts are drawn in a forked process while the workbook and the
    page are written: the report has every chart, and a chart that cannot be
    drawn fails the command in one line, leaving no folder behind."""
    from reports import charts

    out = tmp_path / "r"
    code, _, err = run_cli("report", example_ledger, "--out", out)
    assert code == 0, err
    for name in charts.CHARTS:
        for ext in ("png", "svg"):
            assert (out / f"chart-{name}.{ext}").stat().st_size > 0
    wb = __import__("openpyxl").load_workbook(out / "report.xlsx")
    assert len(wb["Charts"]._images) == len(charts.CHARTS)
    # the SVGs hold their words as text elements, not outlines
    import xml.etree.ElementTree as ET
    svg = ET.parse(out / "chart-purpose.svg").getroot()
    words = {"".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert "Development:Africa" in words and "Funding by purpose and funder" in words

    def broken(report, amounts, scale):
        raise ValueError("no room\nfor this bar")
    monkeypatch.setitem(charts.FIGURES, "status", broken)
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path / "bad")
    assert code == 1
    assert err.strip().splitlines() == [
        "ledger-tool: report: drawing the charts failed: ValueError: no room for this bar"]
    assert not (tmp_path / "bad").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["r"]     # no temporary folder left


def test_a_failed_replacement_puts_the_earlier_report_back(tmp_path, example_ledger, run_cli,
                                                           monkeypatch):
    """--force over an earlier report: if the new folder cannot be renamed
    into place after the old one was moved aside, the old one goes back."""
    import errno
    import os

    out = tmp_path / "r"
    assert run_cli("report", example_ledger, "--out", out)[0] == 0
    before = sorted(p.name for p in out.iterdir())
    real, calls = os.rename, []

    def rename(src, dst, **dir_fds):   # names relative to the folder's descriptor
        calls.append((str(src), str(dst)))
        if os.path.basename(str(dst)) == out.name and len(calls) == 3:   # tmp -> out, after out moved aside
            raise OSError(errno.EIO, "I/O error", str(dst))
        return real(src, dst, **dir_fds)
    monkeypatch.setattr(os, "rename", rename)
    code, _, err = run_cli("report", example_ledger, "--out", out, "--force")
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert sorted(p.name for p in out.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]      # nothing hidden left beside it


@pytest.mark.parametrize("locale", ["en_GB", "fr_FR", "de_DE", "ja_JP", "hi_IN"])
def test_chart_labels_scale_only_where_the_locale_counts_in_millions(locale):
    """Excel can divide by thousands only: the chart label format shows
    millions (billions) in a locale's compact words only where babel writes
    2 million (2 billion) with a lone 2 (not 200万 or 20 लाख)."""
    from babel.numbers import format_compact_currency

    from reports.workbook import compact_number_format
    fmt = compact_number_format("GBP", locale)
    for mag, scaled in ((10 ** 9, "0.0,,,"), (10 ** 6, "0.0,,\"")):
        said = format_compact_currency(2 * mag, "GBP", locale=locale, fraction_digits=0)
        assert (scaled in fmt) == bool(re.fullmatch(r"\D*2\D*", said)), (said, fmt)
