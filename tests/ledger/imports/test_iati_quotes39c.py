"""IATI citations, review39b: each entry quotes its own <value> element,
even where a file puts many elements (a budget and a transaction of the
same number) on one line.

Expected quotes are read from the raw XML with ElementTree, never from the
importer.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.imports.iati import read_iati
from tests.ledger.imports.test_iati_reimport39 import DFID_203, FCDO_ACT, FCDO_TX, _value_of
from tests.ledger.imports.test_iati_reimport39b import _tag, _tx_date
from tests.ledger.imports.test_iati_unnamed35 import _entries, _import, _items, _withdrawn

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "iati"

# one line: a budget, then a transaction of the same number, each with its own value-date
_ONE_LINE = (
    '<iati-activities version="2.03"><iati-activity default-currency="GBP">'
    '<iati-identifier>GB-1-X</iati-identifier><reporting-org ref="GB-1"><narrative>R</narrative>'
    '</reporting-org><participating-org role="1" ref="GB-1"><narrative>F</narrative>'
    '</participating-org><recipient-country code="KE"/><sector vocabulary="1" code="12220"/>'
    '<budget type="1" status="1"><period-start iso-date="2012-04-01"/>'
    '<period-end iso-date="2013-03-31"/><value currency="GBP" value-date="2012-10-01">5000'
    '</value></budget>'
    '<transaction><transaction-type code="2"/><transaction-date iso-date="2012-09-26"/>'
    '<value currency="GBP" value-date="2012-09-26">5000</value></transaction>'
    '<transaction><transaction-type code="3"/><transaction-date iso-date="2012-11-02"/>'
    '<value currency="GBP" value-date="2012-11-02">5000</value></transaction>'
    '</iati-activity></iati-activities>\n')


def _quoted(quote: str) -> tuple[dict, str] | None:
    """A quoted <value> element's attributes and text."""
    m = re.fullmatch(r"<value([^>]*)>\s*([^<]*?)\s*</value>", quote.strip())
    if not m:
        return None
    return dict(re.findall(r'([\w:-]+)="([^"]*)"', m.group(1))), m.group(2)


def _transaction_values(path: Path) -> dict[tuple[str, str], tuple[dict, str]]:
    """(activity id, locator's transaction label) -> its <value>'s attributes and text."""
    out = {}
    for a in ET.parse(path).getroot().iter("iati-activity"):
        act = " ".join((a.findtext("iati-identifier") or "").split())
        for k, t in enumerate(a.findall("transaction"), 1):
            v = t.find("value")
            if v is None:
                continue
            ref = (t.get("ref") or "").strip()
            label = f"transaction {ref!r}" if ref else f"transaction #{k}"
            out[(act, label)] = (dict(v.attrib), (v.text or "").strip())
    return out


def _check(path: Path) -> int:
    """Every transaction citation quotes its own <value>; how many were checked."""
    want = _transaction_values(path)
    checked = 0
    for rec in read_iati(path).records:
        for src in rec.fields["source"]:
            m = re.fullmatch(r"activity (.*), (transaction .*?)( \(reversal\))?", src["locator"])
            if not m:
                continue
            got = _quoted(src["quote"])
            assert got is not None, (path.name, src)
            assert got == want[(m.group(1), m.group(2))], (path.name, rec.fields["id"], src)
            checked += 1
    return checked


def test_a_transaction_quotes_its_own_value_not_a_budget_on_the_same_line(tmp_path):
    f = tmp_path / "one-line.xml"
    f.write_text(_ONE_LINE, encoding="utf-8")
    assert _check(f) == 2
    budget = [r for r in read_iati(f).records if "-b-" in r.fields["id"]]
    assert budget and 'value-date="2012-10-01"' in budget[0].fields["source"][0]["quote"]


@pytest.mark.parametrize("name", ["dfid-2.03.xml", "gates-foundation-2.03.xml",
                                  "ocha-cbpf-2.03.xml", "worldvision-uk-cd.xml"])
def test_real_files_quote_each_transactions_own_value(name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    assert _check(path) > 0


OCHA = REAL / "ocha-cbpf-2.03.xml"
OCHA_ACT = "XM-OCHA-CBPF-SSD-18/HSS10/RA1/H/INGO/11297"


def _budgets(text: str, act: str) -> list[tuple[str, str, Decimal]]:
    """(period-start, period-end, value) of each budget of ``act``, from the XML."""
    root = ET.fromstring(text.encode("utf-8"))
    a = next(x for x in root.iter("iati-activity")
             if " ".join((x.findtext("iati-identifier") or "").split()) == act)
    return [(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"),
             Decimal(b.findtext("value").strip())) for b in a.findall("budget")]


def test_a_budget_is_never_paired_by_position_with_another_periods(tmp_path, run_cli):
    """OCHA's activity gives a 2018 budget (b-1) and a 2019 one (b-2, which
    the user tags).  The newer file changes the 2018 figure and replaces the
    2019 budget with a second 2018 one: b-2 keeps its 2019 period and figure
    (withdrawn), never the new 2018 budget's."""
    if not OCHA.exists():
        pytest.skip(f"{OCHA} not present")
    src = OCHA.read_text(encoding="utf-8")
    start, end, spans = _items(src, OCHA_ACT, "budget")
    first = _budgets(src, OCHA_ACT)
    assert len(spans) == 2 and first[0][0] < "2019" <= first[1][0], first
    b18 = src[spans[0][0]:spans[0][1]]
    figure = re.search(r">\s*([0-9.]+)\s*</value>", b18).group(1)
    v2 = (src[:spans[0][0]] + b18.replace(figure, str(Decimal(figure) + 7))
          + b18.replace(figure, str(Decimal(figure) + 100000)) + src[spans[1][1]:])
    newer = _budgets(v2, OCHA_ACT)
    assert [b[:2] for b in newer] == [first[0][:2]] * 2
    book = tmp_path / "led"
    _import(run_cli, OCHA, book)
    eid = next(i for i, e in _entries(book).items()
               if "11297-b-" in i and e.sources[0].locator.endswith(first[1][0] + " to "
                                                                   + first[1][1]))
    _tag(book / "iati.toml", eid, "my-2019-budget")
    (tmp_path / "2").mkdir()
    _import(run_cli, _write(tmp_path / "2" / OCHA.name, v2), book)
    e = _entries(book)[eid]
    assert "my-2019-budget" in e.tags
    assert e.sources[0].locator.endswith(f"budget {first[1][0]} to {first[1][1]}")
    assert e.amount == first[1][2] and _withdrawn(e)
    # the two 2018 budgets of the newer file are the ledger's counted 2018 budgets
    held = sorted(x.amount for x in _entries(book).values()
                  if "11297-b-" in x.id and not _withdrawn(x))
    assert held == sorted(b[2] for b in newer)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


WVUK = REAL / "worldvision-uk-cd.xml"
WVUK_ACT = "GB-CHC-285908-195305"


def test_a_removed_budget_and_an_added_one_of_its_period_are_not_a_figure_change(
        tmp_path, run_cli):
    """World Vision's 2011-10-01..2012-09-30 budgets 47771 and 50000 (the
    user tags the first); the newer file gives 50000, then a new 47000.
    All budgets of a period share its dates: the 47771 entry is withdrawn
    with its figure and the user's tag, the 47000 budget is a new entry."""
    if not WVUK.exists():
        pytest.skip(f"{WVUK} not present")
    src = WVUK.read_text(encoding="utf-8")
    start, end, spans = _items(src, WVUK_ACT, "budget")
    k = next(i for i, (a, b) in enumerate(spans) if ">47771</value>" in src[a:b])
    one = src[spans[k][0]:spans[k][1]]
    v1 = src[:spans[k][1]] + one.replace(">47771<", ">50000<") + src[spans[k][1]:]
    v2 = (src[:spans[k][0]] + one.replace(">47771<", ">50000<") + one.replace(">47771<", ">47000<")
          + src[spans[k][1]:])
    period = _budgets(src, WVUK_ACT)[k][:2]
    assert [b[2] for b in _budgets(v1, WVUK_ACT) if b[:2] == period] == [47771, 50000]
    newer = sorted(b[2] for b in _budgets(v2, WVUK_ACT) if b[:2] == period)
    assert newer == [47000, 50000]
    book = tmp_path / "led"
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    _import(run_cli, _write(tmp_path / "1" / WVUK.name, v1), book)
    eid = next(i for i, e in _entries(book).items() if "195305-b-" in i and e.amount == 47771)
    _tag(book / "iati.toml", eid, "my-budget")
    _import(run_cli, _write(tmp_path / "2" / WVUK.name, v2), book)
    after = _entries(book)
    assert after[eid].amount == 47771 and _withdrawn(after[eid])
    assert [i for i, e in after.items() if "my-budget" in e.tags] == [eid]
    counted = sorted(e.amount for e in after.values() if "195305-b-" in e.id
                     and not _withdrawn(e)
                     and e.sources[0].locator.endswith(f"budget {period[0]} to {period[1]}"))
    assert counted == newer


@pytest.mark.parametrize("phrase", ["up to 88523 GBP", "88523 GBP over 3 years"])
def test_a_users_phrase_replaced_after_a_date_change_is_said_as_written(
        tmp_path, run_cli, phrase):
    """The user wrote FCDO's 88523 GBP (the XML's value) as a phrase; the
    publisher moved the date.  The phrase is replaced by the file's figure,
    and the import says so, quoting the user's text; the update line shows
    the period as the journal writes it, never a Python repr."""
    book = tmp_path / "led"
    _import(run_cli, DFID_203, book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8")
    at = text.index(f'id = "{FCDO_TX}"\n')
    a = text.index("\namount = ", at) + 1
    c = text.index("\ncurrency = ", at) + 1
    text = text[:a] + f'amount = "{phrase}"' + text[text.index("\n", a):c] + \
        text[text.index("\n", c) + 1:]
    journal.write_text(text, encoding="utf-8")
    src = DFID_203.read_text(encoding="utf-8")
    old_date = _tx_date(DFID_203, FCDO_ACT, "8314504")
    i = src.index('ref="8314504"')
    tx0, tx1 = src.rindex("<transaction", 0, i), src.index("</transaction>", i)
    (tmp_path / "v2").mkdir()
    changed = _write(tmp_path / "v2" / DFID_203.name,
                     src[:tx0] + src[tx0:tx1].replace(old_date, "2019-01-01") + src[tx1:])
    value = _value_of(changed, FCDO_ACT, "8314504")
    assert value == Decimal(88523) and f"{value} GBP" in phrase
    err = _import(run_cli, changed, book)
    said = [line for line in err.splitlines() if FCDO_TX in line and repr(phrase) in line]
    assert said and "replaced" in said[0], err
    assert "Period(" not in err, err
    assert _entries(book)[FCDO_TX].amount == value


def test_a_budget_added_before_another_of_its_period_never_takes_its_entry(tmp_path, run_cli):
    """OCHA's 2018 budget (b-1, user-tagged) changes its figure and moves
    after a new 2018 budget; the 2019 one is removed (review39b's fuzz seed
    110).  The file holds two 2018 budgets where the ledger held one: the
    new budget never takes b-1 (its tag, its id) by position."""
    if not OCHA.exists():
        pytest.skip(f"{OCHA} not present")
    src = OCHA.read_text(encoding="utf-8")
    start, end, spans = _items(src, OCHA_ACT, "budget")
    first = _budgets(src, OCHA_ACT)
    b18 = src[spans[0][0]:spans[0][1]]
    figure = re.search(r">\s*([0-9.]+)\s*</value>", b18).group(1)
    added = str(Decimal(figure) + 100000)
    v2 = (src[:spans[0][0]] + b18.replace(figure, added)
          + b18.replace(figure, str(Decimal(figure) + 7)) + src[spans[1][1]:])
    newer = _budgets(v2, OCHA_ACT)
    assert [b[:2] for b in newer] == [first[0][:2]] * 2
    book = tmp_path / "led"
    _import(run_cli, OCHA, book)
    eid = next(i for i, e in _entries(book).items()
               if "11297-b-" in i and e.amount == first[0][2])
    _tag(book / "iati.toml", eid, "my-2018-budget")
    (tmp_path / "2").mkdir()
    _import(run_cli, _write(tmp_path / "2" / OCHA.name, v2), book)
    after = _entries(book)
    assert all(e.amount != Decimal(added) for e in after.values() if "my-2018-budget" in e.tags)
    held = sorted(x.amount for x in after.values() if "11297-b-" in x.id and not _withdrawn(x))
    assert held == sorted(b[2] for b in newer)
