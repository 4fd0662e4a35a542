"""Money-mention extraction on the real seed documents and the extract command."""
from __future__ import annotations

import csv
import io
import json
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from ledger.phrases.extract import CSV_COLUMNS, find_mentions, mentions_in
from ledger.sources.render import read_document
from ledger.sources.text import html_text
from ledger.model import Money
from ledger.phrases.money import parse_amount
from ledger.phrases.period import parse_period

D = Decimal

# doc stem prefix → [(phrase, amount, currency, qualifier, per, over_years, restated)]
EXPECTED = {
    "000": [],
    "001": [
        ("£217 million", D(217_000_000), "GBP", "exact", "", None, ()),
        ("£100 million", D(100_000_000), "GBP", "exact", "", None, ()),
        ("more than €3 billion a year", D(3_000_000_000), "EUR", "at least", "year", None, ()),
        ("£12 million", D(12_000_000), "GBP", "exact", "", None, ()),
        ("£1.4 million (2m Euros)", D(1_400_000), "GBP", "exact", "", None,
         (Money(D(2_000_000), "EUR"),)),
        ("up to £7 million", D(7_000_000), "GBP", "up to", "", None, ()),
        ("10 million Euros a year", D(10_000_000), "EUR", "exact", "year", None, ()),
    ],
    "002": [
        ("£12 million (€15 million, $19 million) over three years", D(12_000_000), "GBP",
         "exact", "", D(3), (Money(D(15_000_000), "EUR"), Money(D(19_000_000), "USD"))),
    ],
    "003": [],
    "004": [
        ("10 million euros ($11.2 million) over two years", D(10_000_000), "EUR", "exact", "",
         D(2), (Money(D(11_200_000), "USD"),)),
    ],
}


def _seed(seeds_dir, prefix):
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*"))
    return path


def _flat(s: str) -> str:
    return " ".join(s.split())   # the seeds use a no-break space in "$19 million"


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_documents_give_exactly_the_money_figures(seeds_dir, prefix):
    path = _seed(seeds_dir, prefix)
    doc = read_document(path)
    mentions = find_mentions(doc.text, path.name)
    got = [(_flat(m.phrase), m.amount, m.currency, m.qualifier, m.per, m.over_years, m.restated)
           for m in mentions]
    assert got == EXPECTED[prefix]
    assert all(m.doc == path.name for m in mentions)


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_line_and_column_point_at_the_phrase(seeds_dir, prefix):
    path = _seed(seeds_dir, prefix)
    lines = path.read_text(encoding="utf-8").splitlines()
    for m in find_mentions(read_document(path).text):
        assert lines[m.line - 1][m.column - 1:].startswith(m.phrase), m


def test_known_positions(seeds_dir):
    ms = find_mentions(read_document(_seed(seeds_dir, "002")).text)
    assert (ms[0].line, ms[0].column) == (24, 34)
    ms = find_mentions(read_document(_seed(seeds_dir, "001")).text)
    assert [(m.line, m.column) for m in ms][:3] == [(34, 149), (34, 331), (36, 6)]


def test_numbers_that_are_not_money_are_ignored():
    text = ("to help approximately 2.5 million refugees; more than 700 police; "
            "a 75-page report; 15,400 people; 107,500 migrants; surge to 750,000 this year; "
            "on 2015-08-20 and Tuesday 28 July; 2 000 people; 27 EU states; Eurotunnel 2015; "
            "Euronews 2021; 12 million or more; some 3,000 people")
    assert find_mentions(text) == []


def test_restatement_is_part_of_the_main_mention():
    ms = find_mentions("Britain pledged £12m (€15m / $19m) in 2014 and €5m (£4m) later.")
    assert [(_flat(m.phrase), m.restated) for m in ms] == [
        ("£12m (€15m / $19m)", (Money(D(15_000_000), "EUR"),
                                Money(D(19_000_000), "USD"))),
        ("€5m (£4m)", (Money(D(4_000_000), "GBP"),)),
    ]


def test_year_before_an_amount_is_not_a_currency_suffix():
    ms = find_mentions("In 2014 £12 million was pledged; in 2015 €3m more.")
    assert [(m.phrase, m.amount, m.currency) for m in ms] == [
        ("£12 million", D(12_000_000), "GBP"), ("€3m", D(3_000_000), "EUR")]


def test_qualifiers_periods_and_fiscal_years_in_text():
    text = ("The fund got over £5m over 3 years, around €2bn a year for 3 years,\n"
            "and €62.7 million in 2021-22, plus 10 millions d'euros.")
    ms = find_mentions(text, "x.txt")
    rows = [(m.phrase, m.qualifier, m.per, m.over_years, m.fiscal_year, m.line, m.column)
            for m in ms]
    assert rows == [
        ("over £5m over 3 years", "at least", "", D(3), "", 1, 14),
        ("around €2bn a year for 3 years", "about", "year", D(3), "", 1, 37),
        ("€62.7 million in 2021-22", "exact", "", None, "2021-22", 2, 5),
        ("10 millions d'euros", "exact", "", None, "", 2, 36),
    ]


def test_invalid_fiscal_year_tail_is_left_out():
    (m,) = find_mentions("It spent €5m in 2021-23.")
    assert m.phrase == "€5m" and m.fiscal_year == ""


def test_html_is_read_as_its_rendering(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T</title><style>p{x:1}</style>"
                    "<script>var a = '£99m';</script></head><body>\n"
                    "<p>The UK gave <b>£12&nbsp;million</b> (&euro;15 million).</p>\n"
                    "<p>Then &pound;3m a year.</p></body></html>", encoding="utf-8")
    doc = read_document(page)
    assert doc.is_html and "<p>" not in doc.text and "£99m" not in doc.text
    ms = mentions_in(doc)
    assert [(m.amount, m.currency, m.restated) for m in ms] == [
        (D(12_000_000), "GBP", (Money(D(15_000_000), "EUR"),)),
        (D(3_000_000), "GBP", ()),
    ]
    # line and column point into the rendering `sources add` archives
    from ledger.sources.render import render
    lines = render(page).splitlines()
    assert lines[ms[0].line - 1][ms[0].column - 1:].startswith("£12 million")
    assert lines[ms[1].line - 1][ms[1].column - 1:].startswith("£3m a year")
    assert html_text("<p>a</p><p>b</p>")[0].split() == ["a", "b"]


def test_bom_crlf_and_cp1252(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffLine one\r\nIt cost £4m a year.\r\n".encode("utf-8"))
    doc = read_document(bom)
    assert not doc.warnings
    (m,) = find_mentions(doc.text)
    assert (m.line, m.column, m.phrase) == (2, 9, "£4m a year")
    old = tmp_path / "old.txt"
    old.write_bytes("Gave \xa35m and \x8010m.\n".encode("latin-1"))
    doc = read_document(old)
    assert doc.warnings and "cp1252" in doc.warnings[0] and str(old) in doc.warnings[0]
    assert [(m.amount, m.currency) for m in find_mentions(doc.text)] == [
        (D(5_000_000), "GBP"), (D(10_000_000), "EUR")]


# -------------------------------------------------------------------- CLI
@pytest.fixture
def cli(run_cli, monkeypatch):
    """The real ``ledger-tool`` entry point with only this command registered,
    so the tests do not depend on other commands being finished."""
    import ledger_tool.cli
    monkeypatch.setattr(ledger_tool.cli, "COMMAND_MODULES", ["extract"])
    return run_cli


def test_cli_csv(cli, seeds_dir):
    code, out, err = cli("extract", *sorted(seeds_dir.glob("*.txt")), "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert CSV_COLUMNS == ("doc", "line", "column", "phrase", "amount", "currency", "qualifier",
                           "per", "over_years", "fiscal_year", "restated", "start", "upper")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 9
    row = next(r for r in rows if r["doc"].startswith("002_"))
    assert row == {
        "doc": _seed(seeds_dir, "002").name, "line": "24", "column": "34",
        "phrase": "£12 million (€15 million, $19\u00a0million) over three years",
        "amount": "12000000", "currency": "GBP", "qualifier": "exact", "per": "",
        "over_years": "3", "fiscal_year": "", "restated": "EUR 15000000;USD 19000000",
        "start": "", "upper": "",
    }
    r001 = [r for r in rows if r["doc"].startswith("001_")]
    assert [r["amount"] for r in r001] == ["217000000", "100000000", "3000000000", "12000000",
                                           "1400000", "7000000", "10000000"]
    assert r001[2]["per"] == "year" and r001[2]["qualifier"] == "at least"
    assert "no money mentions" in err and "000_" in err and "003_" in err


def test_cli_json_and_table(cli, seeds_dir):
    code, out, _ = cli("extract", _seed(seeds_dir, "004"), "--format", "json")
    assert code == 0
    (obj,) = json.loads(out)
    assert obj["amount"] == "10000000" and obj["currency"] == "EUR"
    assert obj["restated"] == [{"amount": "11200000", "currency": "USD"}]
    assert obj["period"] == "over 2 years" and obj["line"] == 70 and obj["column"] == 27
    code, out, _ = cli("extract", _seed(seeds_dir, "004"))
    from babel.numbers import format_currency
    assert code == 0 and format_currency(10_000_000, "EUR", locale="en_GB") in out
    assert format_currency(11_200_000, "USD", locale="en_GB") in out
    code, out, _ = cli("extract", _seed(seeds_dir, "004"), "--locale", "fr_FR")
    assert code == 0 and format_currency(10_000_000, "EUR", locale="fr_FR") in out
    code, out, err = cli("extract", _seed(seeds_dir, "004"), "--locale", "xx_XX")
    assert code == 1 and "unknown locale 'xx_XX'" in err and "Traceback" not in err


def test_cli_draft(cli, seeds_dir, tmp_path):
    out_file = tmp_path / "draft.toml"
    code, _, err = cli("extract", _seed(seeds_dir, "002"), _seed(seeds_dir, "001"),
                       "--format", "csv", "--draft", out_file)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "# TODO" in text
    entries = tomllib.loads(text)["entry"]
    assert len(entries) == 8
    first = entries[0]
    assert first["id"] == "002_e2d441578c61b003-1"
    assert first["status"] == "pledged"
    assert first["amount"] == "£12 million" and first["period"] == "over 3 years"
    assert [" ".join(r.split()) for r in first["restated"]] == ["€15 million", "$19 million"]
    assert first["source"] == [{"doc": "002_e2d441578c61b003",
                                "quote": "£12 million (€15 million, $19\u00a0million) over three years",
                                "locator": "line 24, column 34"}]
    assert entries[6]["amount"] == "up to £7 million"
    assert len({e["id"] for e in entries}) == 8
    # the draft is not overwritten by accident
    code, _, err = cli("extract", _seed(seeds_dir, "004"), "--draft", out_file)
    assert code == 1 and "already exists" in err and "--force" in err
    assert out_file.read_text(encoding="utf-8") == text
    code, _, _ = cli("extract", _seed(seeds_dir, "004"), "--draft", out_file, "--force")
    assert code == 0 and len(tomllib.loads(out_file.read_text("utf-8"))["entry"]) == 1


def test_cli_bad_files_are_reported_and_others_still_processed(cli, seeds_dir, tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    missing = tmp_path / "missing.txt"
    code, out, err = cli("extract", missing, _seed(seeds_dir, "002"), binary, tmp_path,
                         "--format", "csv")
    assert code == 1
    assert len(out.splitlines()) == 2           # header + the 002 mention
    lines = err.splitlines()
    assert any("missing.txt" in ln and "no such file" in ln for ln in lines)
    assert any("image.png" in ln and "binary" in ln for ln in lines)
    assert any(str(tmp_path) in ln and "directory" in ln for ln in lines)
    assert "Traceback" not in err


def test_cli_usage_errors(cli):
    code, _, err = cli("extract")
    assert code == 2 and "DOC" in err
    code, _, err = cli("extract", "x.txt", "--format", "xml")
    assert code == 2


def test_cli_cp1252_warning(cli, tmp_path):
    old = tmp_path / "old.txt"
    old.write_bytes("Gave \xa35m.\n".encode("latin-1"))
    code, out, err = cli("extract", old, "--format", "csv")
    assert code == 0 and "cp1252" in err and "5000000,GBP" in out


# ------------------------------------------ English and French forms (issue 17)
# phrase in running text → (amount, currency, qualifier, per, over_years, fiscal_year, start, upper)
FORMS = [
    ("£12m", (D(12_000_000), "GBP", "exact", "", None, "", "", None)),
    ("£12mn", (D(12_000_000), "GBP", "exact", "", None, "", "", None)),
    ("€3bn", (D(3_000_000_000), "EUR", "exact", "", None, "", "", None)),
    ("3 Md€", (D(3_000_000_000), "EUR", "exact", "", None, "", "", None)),
    ("2 milliards d'euros", (D(2_000_000_000), "EUR", "exact", "", None, "", "", None)),
    ("250 k€", (D(250_000), "EUR", "exact", "", None, "", "", None)),
    ("£250 thousand", (D(250_000), "GBP", "exact", "", None, "", "", None)),
    ("twelve million pounds", (D(12_000_000), "GBP", "exact", "", None, "", "", None)),
    ("two hundred million dollars", (D(200_000_000), "USD", "exact", "", None, "", "", None)),
    ("douze millions d'euros", (D(12_000_000), "EUR", "exact", "", None, "", "", None)),
    ("un milliard d'euros", (D(1_000_000_000), "EUR", "exact", "", None, "", "", None)),
    ("7 millions de livres", (D(7_000_000), "GBP", "exact", "", None, "", "", None)),
    ("54 millions de livres sterling", (D(54_000_000), "GBP", "exact", "", None, "", "", None)),
    ("63 M€", (D(63_000_000), "EUR", "exact", "", None, "", "", None)),
    ("54 M£", (D(54_000_000), "GBP", "exact", "", None, "", "", None)),
    ("US$5.6m", (D(5_600_000), "USD", "exact", "", None, "", "", None)),
    ("€5 million euros", (D(5_000_000), "EUR", "exact", "", None, "", "", None)),
    ("up to £7 million", (D(7_000_000), "GBP", "up to", "", None, "", "", None)),
    ("jusqu'à 60 millions de dollars", (D(60_000_000), "USD", "up to", "", None, "", "", None)),
    ("at least €5m", (D(5_000_000), "EUR", "at least", "", None, "", "", None)),
    ("au moins 500 millions d'euros", (D(500_000_000), "EUR", "at least", "", None, "", "", None)),
    ("plus de 7 millions d'euros", (D(7_000_000), "EUR", "at least", "", None, "", "", None)),
    ("around £3m", (D(3_000_000), "GBP", "about", "", None, "", "", None)),
    ("approximately $44m", (D(44_000_000), "USD", "about", "", None, "", "", None)),
    ("environ 40 M€", (D(40_000_000), "EUR", "about", "", None, "", "", None)),
    ("près de 100 millions d'euros", (D(100_000_000), "EUR", "about", "", None, "", "", None)),
    ("£15 million a year", (D(15_000_000), "GBP", "exact", "year", None, "", "", None)),
    ("£300 million per annum", (D(300_000_000), "GBP", "exact", "year", None, "", "", None)),
    ("$25m annually", (D(25_000_000), "USD", "exact", "year", None, "", "", None)),
    ("2,5 M€ par an", (D(2_500_000), "EUR", "exact", "year", None, "", "", None)),
    ("20 millions de livres chaque année", (D(20_000_000), "GBP", "exact", "year", None, "", "", None)),
    ("£11.6 billion over five years", (D(11_600_000_000), "GBP", "exact", "", D(5), "", "", None)),
    ("3 M€ sur deux ans", (D(3_000_000), "EUR", "exact", "", D(2), "", "", None)),
    ("54 M£ pendant deux ans", (D(54_000_000), "GBP", "exact", "", D(2), "", "", None)),
    ("€30 million a year for three years from April 2024",
     (D(30_000_000), "EUR", "exact", "year", D(3), "", "2024-04-01", None)),
    ("2,5 M€ par an à partir de 2025", (D(2_500_000), "EUR", "exact", "year", None, "", "2025-01-01", None)),
    ("150 M€ par an à partir d'avril 2024", (D(150_000_000), "EUR", "exact", "year", None, "", "2024-04-01", None)),
    ("476 millions d'euros de 2023 à 2025", (D(476_000_000), "EUR", "exact", "", D(3), "", "2023-01-01", None)),
    ("£88 million in 2023-24", (D(88_000_000), "GBP", "exact", "", None, "2023-24", "", None)),
    ("£88 million in 2023/24", (D(88_000_000), "GBP", "exact", "", None, "2023-24", "", None)),
    ("£950 million in FY2024", (D(950_000_000), "GBP", "exact", "", None, "2023-24", "", None)),
    ("141 M€ pour l'exercice 2023", (D(141_000_000), "EUR", "exact", "", None, "2023", "", None)),
    ("72,2 millions d'euros en 2023-2024", (D(72_200_000), "EUR", "exact", "", None, "2023-24", "", None)),
    ("£5m for three years", (D(5_000_000), "GBP", "exact", "", D(3), "", "", None)),
    ("150 M€ sur 18 mois", (D(150_000_000), "EUR", "exact", "", D("1.5"), "", "", None)),
    ("5 M€ sur une période de trois ans", (D(5_000_000), "EUR", "exact", "", D(3), "", "", None)),
    ("3 M€ sur deux ans à partir de 2024", (D(3_000_000), "EUR", "exact", "", D(2), "", "2024-01-01", None)),
    ("2 M€ par an à compter du 1er avril 2024", (D(2_000_000), "EUR", "exact", "year", None, "", "2024-04-01", None)),
    ("2 M€ par an dès 2025", (D(2_000_000), "EUR", "exact", "year", None, "", "2025-01-01", None)),
    ("5 M€ tous les ans", (D(5_000_000), "EUR", "exact", "year", None, "", "", None)),
    ("5 M€ annuellement", (D(5_000_000), "EUR", "exact", "year", None, "", "", None)),
    ("10 M€ annuels", (D(10_000_000), "EUR", "exact", "year", None, "", "", None)),
    ("£5m over the period 2024-2027", (D(5_000_000), "GBP", "exact", "", D(4), "", "2024-01-01", None)),
    ("7 milliards de dollars pour 2023", (D(7_000_000_000), "USD", "exact", "", D(1), "", "2023-01-01", None)),
    ("£5m in FY24", (D(5_000_000), "GBP", "exact", "", None, "2023-24", "", None)),
    ("5 M€ pour l'exercice budgétaire 2024", (D(5_000_000), "EUR", "exact", "", None, "2024", "", None)),
    ("a billion euros", (D(1_000_000_000), "EUR", "exact", "", None, "", "", None)),
    ("quatre-vingt-dix millions d'euros", (D(90_000_000), "EUR", "exact", "", None, "", "", None)),
    ("€5 to 7 million", (D(5_000_000), "EUR", "range", "", None, "", "", D(7_000_000))),
    ("5 to 7 million pounds", (D(5_000_000), "GBP", "range", "", None, "", "", D(7_000_000))),
    ("£5m–£7m", (D(5_000_000), "GBP", "range", "", None, "", "", D(7_000_000))),
    ("£5-7m", (D(5_000_000), "GBP", "range", "", None, "", "", D(7_000_000))),
    ("between £200m and £250m", (D(200_000_000), "GBP", "range", "", None, "", "", D(250_000_000))),
    ("10 à 15 millions d'euros", (D(10_000_000), "EUR", "range", "", None, "", "", D(15_000_000))),
    ("entre 5 et 7 millions d'euros", (D(5_000_000), "EUR", "range", "", None, "", "", D(7_000_000))),
]


@pytest.mark.parametrize("phrase,expected", FORMS, ids=[f[0] for f in FORMS])
def test_english_and_french_forms(phrase, expected):
    (m,) = find_mentions(f"Ministers said {phrase}, for the programme.")
    got = (m.amount, m.currency, m.qualifier, m.per, m.over_years, m.fiscal_year, m.start, m.upper)
    assert got == expected
    assert m.phrase == phrase


def test_hedged_restatements():
    (m,) = find_mentions("It gave £12m (i.e. €15m) and nothing else.")
    assert m.restated == (Money(D(15_000_000), "EUR"),)
    (m,) = find_mentions("It gave US$45 million over five years (about £36m).")
    assert (m.over_years, m.restated) == (D(5), (Money(D(36_000_000), "GBP"),))


def test_hedged_restatement_belongs_to_its_mention():
    (m,) = find_mentions("Londres apportera 54 millions de livres sterling (soit environ 63 M€) sur trois ans.")
    assert (m.amount, m.currency, m.restated, m.over_years) == (
        D(54_000_000), "GBP", (Money(D(63_000_000), "EUR"),), D(3))


def test_period_further_on_in_the_clause_or_before_in_the_sentence():
    ms = find_mentions("The £12 million fund over two years helps councils. "
                       "In FY2024 the Department committed £7.25 million to defence and £1.1m to "
                       "monitoring. It gave £5m, a year after the floods. It gave £1m a year ago.")
    assert [(m.amount, m.over_years, m.fiscal_year, m.per) for m in ms] == [
        (D(12_000_000), D(2), "", ""), (D(7_250_000), None, "2023-24", ""),
        (D(1_100_000), None, "2023-24", ""), (D(5_000_000), None, "", ""),
        (D(1_000_000), None, "", "")]
    assert ms[1].period_before and not ms[0].period_before


def test_a_duration_further_on_completes_an_open_ended_rate():
    (m,) = find_mentions("Une dotation de 4 millions d'euros par an sera versée à la commune "
                         "pendant cinq ans.")
    assert (m.per, m.over_years) == ("year", D(5))
    assert m.phrase.endswith("pendant cinq ans")
    (m,) = find_mentions("It pays £2m a year to the council from 2025, it said.")
    assert (m.per, m.over_years, m.start) == ("year", None, "")


def test_a_period_belongs_to_the_nearest_amount_of_its_clause():
    ms = find_mentions("In 2023-24 the UK spent £5m and in 2024-25 it will spend £7m. "
                       "The UK gave £2m to France, which has spent over three years on the camp.")
    assert [(m.amount, m.fiscal_year, m.over_years) for m in ms] == [
        (D(5_000_000), "2023-24", None), (D(7_000_000), "2024-25", None), (D(2_000_000), "", None)]


def test_numbers_that_are_not_money_in_french_and_english():
    text = ("800 000 habitants; 1,7 million de personnes; 27 % en 2023; article 42; "
            "programme 209; 0 800 130 000; +32 2 299 11 11; 25 million people; "
            "twelve million people; 36% last year; le 12 février 2024; 3 000 morts")
    assert find_mentions(text) == []


def test_cli_draft_keeps_start_fiscal_year_qualifier_and_range(cli, tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("The UK will pay €30 million (£26m) a year for three years from April 2024.\n"
                   "It gives up to £250m in FY2024 and £40m–£50m for ports.\n", encoding="utf-8")
    out_file = tmp_path / "draft.toml"
    code, _, err = cli("extract", doc, "--draft", out_file)
    assert code == 0, err
    entries = tomllib.loads(out_file.read_text(encoding="utf-8"))["entry"]
    assert [(e["amount"], e.get("period")) for e in entries] == [
        ("€30 million", "per year for 3 years from 2024-04-01"),
        ("up to £250m", "fiscal year 2023-24"),
        ("at least £40 million", None)]
    assert "gives a range" in out_file.read_text(encoding="utf-8")
    for e in entries:   # each draft amount and period reads back
        parse_amount(e["amount"])
        if "period" in e:
            parse_period(e["period"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "£", "€", "$", "5", "1,5", "250", "7", "m", "M€", "k€", "bn",
    " ", "-", "–", " to ", " à ", " and ", " et ", "between ", "entre ", "de ", "twelve",
    " million", " millions", " milliards", " d'euros", " pounds", " livres", " (", ")",
    "soit ", "environ ", " a year", " par an", " sur deux ans", " from April 2024",
    " in FY2024", " pour l'exercice 2024", " over three years", ".", "\n", "up to ",
    "an annual envelope of ", "une enveloppe annuelle de ", " francs CFA", " FCFA", " Sénégal",
    " Tchad",
]), max_size=30))
def test_any_mix_of_the_grammars_pieces_is_read_without_crashing(pieces):
    text = "".join(pieces)
    for m in find_mentions(text):
        assert m.amount > 0 and text[m.offset:].startswith(m.phrase)
        assert m.upper is None or m.upper > m.amount


def test_a_range_bound_too_long_to_hold_exactly_is_not_a_range():
    (m,) = find_mentions("It costs £5-99999999999999999999999999999999m in all.")
    assert (m.amount, m.qualifier, m.upper) == (D(5), "exact", None)


# ------------------------------------------- a rate said by an adjective (issue 17)
@pytest.mark.parametrize("sentence,per,years,start", [
    ("Ministers set an annual envelope of £7m for the unit.", "year", None, ""),
    ("Le ministre a évoqué une enveloppe annuelle de 7 millions de livres pour la justice.",
     "year", None, ""),
    ("It will pay a yearly allocation of €4.5 million to the camp.", "year", None, ""),
    ("Une subvention annuelle d'environ 3 millions d'euros ira aux communes.", "year", None, ""),
    ("Une aide annuelle supplémentaire de 2 M€ sera versée.", "year", None, ""),
    ("An annual £2m grant goes to the port.", "year", None, ""),
    ("It agreed annual funding of £2m over three years.", "year", D(3), ""),
    ("Une dotation annuelle de 2 M€ pendant trois ans.", "year", D(3), ""),
    ("Une dotation annuelle de 2 M€ à partir de 2025 pour les communes.", "year", None, "2025-01-01"),
    ("An annual budget of £4m from April 2025 for the unit.", "year", None, "2025-04-01"),
    ("Une enveloppe annuelle de 4 M€ sera versée à la commune pendant cinq ans.", "year", D(5), ""),
    # not a yearly amount: the adjective is about something else, or not yearly
    ("The annual report says £5m was spent.", "", None, ""),
    ("Annual report 2023: the fund gave £5m.", "", None, ""),
    ("A bi-annual grant of £2m was paid.", "", None, ""),
    ("Le rapport annuel de la Cour : 5 M€ ont été dépensés.", "", None, ""),
])
def test_a_rate_said_by_an_adjective_before_the_amount(sentence, per, years, start):
    (m,) = find_mentions(sentence)
    assert (m.per, m.over_years, m.start) == (per, years, start)
    # the phrase is the amount (and what follows it); the adjective is marked as
    # stated before, so a draft asks to quote it too
    assert m.period_before == bool(per)
    assert not m.phrase.lower().startswith(("an annual", "une", "a yearly"))


# ------------------------------------------------- the CFA franc (issue 17)
@pytest.mark.parametrize("text,currency", [
    ("Au Sénégal, l'AFD prête 150 M€ (environ 98,4 milliards de francs CFA).", "XOF"),
    ("Au Tchad, l'AFD finance 7 M€ (environ 4,6 milliards de FCFA).", "XAF"),
    ("La BCEAO a injecté 500 milliards de francs CFA.", "XOF"),
    ("La BEAC a injecté 500 milliards de francs CFA.", "XAF"),
    ("Burkina Faso received 20 billion CFA francs.", "XOF"),
    ("Yaoundé, le 3 mai 2024\n\nL'État versera 12 milliards de francs CFA aux communes.", "XAF"),
    ("Le prêt est de 10 M€ (6,5 milliards de francs CFA (BEAC)).", "XAF"),
    # neither zone, or both: the user settles it
    ("Un prêt de 10 M€ (6,5 milliards de francs CFA) a été signé.", "XOF|XAF"),
    ("Le Sénégal et le Tchad recevront 3 milliards de francs CFA.", "XOF|XAF"),
    ("Niger est un pays.\n\nLe Cameroun recevra 3 milliards de francs CFA.", "XAF"),
])
def test_cfa_francs_take_the_zone_the_document_names(text, currency):
    (m,) = find_mentions(text)
    got = m.restated[0].currency if m.restated else m.currency
    assert got == currency
    assert (m.restated[0].amount if m.restated else m.amount) > 0


def test_every_member_state_names_its_cfa_zone():
    """The member states come from babel (territories whose tender is XOF or
    XAF), by their English and French names."""
    from babel import Locale
    from babel.numbers import get_territory_currencies

    seen = set()
    for loc in ("en", "fr"):
        for t, name in Locale(loc).territories.items():
            if len(t) == 2 and t.isalpha():
                code = get_territory_currencies(t, tender=True)
                if code in (["XOF"], ["XAF"]):
                    (m,) = find_mentions(f"{name} : 3 milliards de francs CFA.")
                    assert m.currency == code[0], name
                    seen.add(code[0])
    assert seen == {"XOF", "XAF"}


def test_cfa_francs_in_a_quote_take_the_zone_of_its_document():
    doc = "Dakar, le 4 juillet 2024\n\nL'AFD prête 150 M€ (environ 98,4 milliards de francs CFA)."
    (m,) = find_mentions("150 M€ (environ 98,4 milliards de francs CFA)", context=doc)
    assert m.restated == (Money(D(98_400_000_000), "XOF"),)


def test_parse_amount_asks_which_cfa_franc():
    from ledger.phrases.money import MoneyError

    with pytest.raises(MoneyError, match="XOF .*XAF"):
        parse_amount("98,4 milliards de francs CFA")
    with pytest.raises(MoneyError, match="francs CFA"):
        parse_amount("150 M€ (98,4 milliards de FCFA)")
    assert parse_amount("98,4 milliards de francs CFA (BCEAO)").currency == "XOF"
    assert parse_amount("5 billion Central African CFA francs").currency == "XAF"


def test_cli_says_which_cfa_amounts_need_their_currency_confirmed(cli, tmp_path):
    doc = tmp_path / "pret.txt"
    doc.write_text("Un prêt de 10 M€ (6,5 milliards de francs CFA) a été signé.\n\n"
                   "La Banque mondiale ajoute 5 millions de dollars.\n",
                   encoding="utf-8")
    code, out, err = cli("extract", "--format", "csv", doc)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["currency"], r["restated"]) for r in rows] == [
        ("EUR", "XOF|XAF 6500000000"), ("USD", "")]
    assert err.count("warning") == 1 and "pret.txt:1:12" in err and "confirm it" in err
    code, out, err = cli("extract", doc)          # the table shows it as it is
    assert code == 0 and "6500000000 XOF|XAF" in out
    draft = tmp_path / "draft.toml"
    code, _, err = cli("extract", doc, "--draft", draft)
    assert code == 0
    text = draft.read_text(encoding="utf-8")
    assert text.count("TODO: 'francs CFA' is XOF") == 1
    tomllib.loads(text)


def test_draft_cites_the_archives_id_and_date_and_needs_no_hand_edit(tmp_path, run_cli):
    import datetime as dt
    import tomllib

    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    page = tmp_path / "Download (1).html"
    page.write_text("<html><body><main><h1>Harbour</h1><p>The Department will provide £12 "
                    "million over three years to rebuild the wall of an invented harbour, "
                    "as this long enough sentence says.</p></main></body></html>",
                    encoding="utf-8")
    assert run_cli("sources", "add", page, "--ledger", book, "--id", "harbour-2024",
                   "--title", "T", "--publisher", "P", "--published", "2024-03-03")[0] == 0
    for doc, extra in ((book / "sources" / "harbour-2024.html.txt", ()),
                       (book / "sources" / "harbour-2024.html", ()),
                       (page, ("--ledger", book))):
        draft = tmp_path / "draft.toml"
        code, _, err = run_cli("extract", doc, "--draft", draft, "--force", *extra)
        assert code == 0, err
        (entry,) = tomllib.loads(draft.read_text("utf-8"))["entry"]
        assert entry["date"] == dt.date(2024, 3, 3), doc
        assert entry["source"][0]["doc"] == "harbour-2024" and entry["id"] == "harbour-2024-1"
    code, _, err = run_cli("add", book, "--from-extract", draft, "--funder", "UK:Coastal",
                           "--purpose", "Harbour")
    assert code == 0, err
    code, _, err = run_cli("audit", book)
    assert code == 0 and "audit passed" in err and "1 verified" in err

    code, _, err = run_cli("extract", page, "--draft", draft, "--force", "--ledger",
                           tmp_path / "nowhere")
    assert code == 1 and "--ledger" in err and "no such ledger" in err
    code, _, err = run_cli("extract", page, "--draft", draft, "--force")   # not found: said
    assert code == 0 and "not a recorded document" in err
    (entry,) = tomllib.loads(draft.read_text("utf-8"))["entry"]
    assert entry["date"] == "YYYY-MM-DD" and entry["source"][0]["doc"] == "Download-1"


def test_mentions_in_places_each_figure_too_large_and_reads_the_rest(tmp_path):
    # fix41: a caller may list every figure too large and the other mentions
    path = tmp_path / "d.txt"
    path.write_text("£5 million.\nTotal: " + "1" * 30 + " GBP.\nAnd £7 million.\n",
                    encoding="utf-8")
    big: list = []
    got = mentions_in(read_document(path), too_large=big)
    assert [(m.line, m.amount) for m in got] == [(1, 5_000_000), (3, 7_000_000)]
    assert [str(e) for e in big] == [
        "d.txt:2:8: " + "1" * 30 + " has too many digits to be held exactly "
        "(at most 28 significant digits)"]
