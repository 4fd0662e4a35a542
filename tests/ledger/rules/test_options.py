"""The [ledger] options' rules (ledger/rules/options.py): check refuses what
a later command would, naming the file's line and the option."""
from __future__ import annotations

import pytest

from ledger.rules.options import OptionError, fiscal_start, locale_name


@pytest.mark.parametrize("given,name", [("en_GB", "en_GB"), ("en-GB", "en_GB"),
                                        ("en_GB.UTF-8", "en_GB"), ("fr_FR@euro", "fr_FR"),
                                        ("de_DE.ISO8859-1", "de_DE"), ("C", "en"),
                                        ("C.UTF-8", "en"), ("POSIX", "en"), ("sr-Latn-RS", "sr_Latn_RS"),
                                        ("ja", "ja")])
def test_posix_and_bcp47_locales_are_read_as_babel_names(given, name):
    assert locale_name(given) == name


@pytest.mark.parametrize("bad", ["xx", "root", "", "en_GB" * 20, "12", "e\x1b[2J"])
def test_a_locale_no_browser_takes_is_refused(bad):
    with pytest.raises(OptionError):
        locale_name(bad)


@pytest.mark.parametrize("bad", ["13-45", "02-29", "4-31", "April", "99999999999999999999-01"])
def test_a_fiscal_year_start_that_is_no_day_is_refused(bad):
    with pytest.raises(OptionError, match=r"fiscal year start"):
        fiscal_start(bad)
    assert fiscal_start("04-01") == (4, 1) and fiscal_start("--10-01") == (10, 1)


def test_check_refuses_each_bad_option_naming_its_line(tmp_path, run_cli):
    """check passed fiscal_year_start = "13-45" which report then refused."""
    f = tmp_path / "j.toml"
    f.write_text('[ledger]\nname = "x"\nfiscal_year_start = "13-45"\nlocale = "xx_YY"\n'
                 'currency = "ZZZ"\n[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "F"\n'
                 'purpose = "P"\namount = "£1m"\n', encoding="utf-8")
    code, _, err = run_cli("check", f)
    assert code == 1
    assert f"{f}:3: error: option fiscal_year_start: fiscal year start '13-45' is not a " \
           f"valid month and day" in err
    assert f"{f}:4: error: option locale: unknown locale 'xx_YY'" in err
    assert f"{f}:5: error: option currency: currency 'ZZZ' is not an ISO 4217 code" in err


def test_check_refuses_an_entry_running_past_the_last_year_that_report_refused(tmp_path,
                                                                               run_cli):
    """report refused it as "horizon '2204' is outside the years", naming no entry."""
    f = tmp_path / "j.toml"
    f.write_text('[[entry]]\nid = "late"\ndate = 2195-01-01\nfunder = "F"\npurpose = "P"\n'
                 'amount = "£1m"\nperiod = "per year for 10 years"\n\n'
                 '[[entry]]\nid = "open"\ndate = 2015-01-01\nfunder = "F"\npurpose = "P"\n'
                 'amount = "£1m"\nperiod = "per year"\n', encoding="utf-8")
    code, _, err = run_cli("check", f)
    assert code == 1
    assert f"{f}:7: entry 'late': error: period runs to 2204-12-31, past the year 2200" in err
    code, _, err = run_cli("report", f, "--out", tmp_path / "r")
    assert code == 1 and "entry 'late'" in err and "horizon" not in err


def test_check_reads_the_ledgers_rate_table_as_balance_would(tmp_path, run_cli):
    """A bad row in the ledger's rates.csv passed check; balance --currency
    then refused it."""
    (tmp_path / "ledger.toml").write_text(
        '[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "F"\npurpose = "P"\namount = "€1m"\n',
        encoding="utf-8")
    (tmp_path / "rates.csv").write_text("date,from,to,rate\n2015-01-01,GBP,XAF,1e5000\n",
                                        encoding="utf-8")
    code, _, err = run_cli("balance", tmp_path, "--currency", "GBP")
    assert code == 1
    code, _, err = run_cli("check", tmp_path)
    assert code == 1
    assert f"{tmp_path / 'rates.csv'}:2: error: column 'rate': rate 1E+5000 is outside" in err
