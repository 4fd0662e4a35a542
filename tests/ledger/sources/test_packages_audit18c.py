"""The audit measures phased parts against their package with the package
rule's own totals (``ledger.rules.whole_amounts``): each over its whole
period, N weeks from its start counting the years of its own dates."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from ledger.model import Entry, Link
from ledger.phrases.period import parse_period
from ledger.sources.audit import check_packages


def _pair(package: str, part_period: str, part_date: str = "2016-01-01"):
    pkg = Entry(id="pkgA", date=dt.date(2016, 1, 1), funder="UK", purpose="P:A",
                amount=Decimal(package), currency="GBP")
    part = Entry(id="partA", date=dt.date.fromisoformat(part_date), funder="UK",
                 purpose="P:A", amount=Decimal("365000"), currency="GBP",
                 period=parse_period(part_period), links=(Link("part_of", "pkgA"),))
    return [pkg, part]


def test_a_part_for_weeks_counts_its_whole_period():
    # 104 weeks from 2016-01-01: 728 days to 2017-12-28, one year (2016,
    # 366 days) and 362 of 2017's 365: £365,000 × (1 + 362/365) = £727,000
    (f,) = check_packages(_pair("800000", "per year for 104 weeks"))
    assert (f.code, f.details["sum"], f.details["package"]) == (
        "parts-short-of-package", Decimal("727000.00"), Decimal("800000.00"))
    assert "£73k is not accounted for" in f.message
    (f,) = check_packages(_pair("700000", "per year for 104 weeks"))
    assert (f.code, f.details["sum"]) == ("parts-exceed-package", Decimal("727000.00"))
    # from 2015-01-01, 728 days end 2016-12-28: 2015 (365 days) and 363 of
    # the leap year's 366: £365,000 + £362,008.20 (362008.196…) = £727,008.20
    (f,) = check_packages(_pair("800000", "per year for 104 weeks", "2015-01-01"))
    assert f.details["sum"] == Decimal("727008.20")
    assert check_packages(_pair("727000", "per year for 104 weeks")) == []


def test_an_endless_part_is_not_short_of_a_bounded_package():
    (f,) = check_packages(_pair("800000", "per year"))
    assert f.code == "parts-exceed-package" and "no end" in f.message


def test_the_audit_and_check_agree_on_a_package(tmp_path, run_cli):
    book = tmp_path / "b"
    book.mkdir()
    (book / "sources").mkdir()
    (book / "ledger.toml").write_text('[ledger]\nname = "B"\ncurrency = "GBP"\n'
                                      'archive = "sources"\n', encoding="utf-8")
    (book / "e.toml").write_text(
        '[[entry]]\nid = "pkgA"\ndate = 2016-01-01\nfunder = "UK"\npurpose = "P:A"\n'
        'amount = "£800000"\n\n[[entry]]\nid = "partA"\ndate = 2016-01-01\nfunder = "UK"\n'
        'purpose = "P:A"\namount = "£365000"\nperiod = "per year for 104 weeks"\n'
        'part_of = "pkgA"\n', encoding="utf-8")
    # check holds £727,000 within the £800,000; the audit says what is left
    code, out, err = run_cli("check", book)
    assert code == 0 and "package" not in out + err
    _, out, err = run_cli("audit", book)
    said = [ln for ln in (out + err).splitlines() if "parts-short-of-package]" in ln]
    assert len(said) == 1 and "£727k of the package's £800k; £73k" in said[0]


def test_a_part_not_counted_is_in_no_package():
    """A withdrawn IATI budget keeps its part_of link but is in no total:
    the audit measures the package without it, as check does (review35)."""
    pkg = Entry(id="pkgB", date=dt.date(2016, 1, 1), funder="UK", purpose="P:B",
                amount=Decimal("100"), currency="GBP")
    gone, live = (Entry(id=i, date=dt.date(2016, 2, 1), funder="UK", purpose="P:B",
                        amount=Decimal("60"), currency="GBP", tags=tags,
                        links=(Link("part_of", "pkgB"),))
                  for i, tags in (("gone", ("not-counted", "not-counted-withdrawn")), ("live", ())))
    (f,) = check_packages([pkg, gone, live])
    assert (f.code, f.details["parts"], f.details["sum"]) == (
        "parts-short-of-package", ["live"], Decimal("60.00"))
    (f,) = check_packages([pkg, dataclasses.replace(gone, tags=()), live])
    assert (f.code, f.details["sum"]) == ("parts-exceed-package", Decimal("120.00"))
