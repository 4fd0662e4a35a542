"""The recorded hledger export's header advises `hledger bal -X CUR
--value=…` exactly where the real hledger then gives ledger-tool's figures
(those of `-B`, worked by hand here), account by account, alone and with its
subaccounts, with and without `not:tag:secondary`; where it does not, the
header names an account and both figures, as hledger prints them."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

RATES = "date,from,to,rate,source\n{rows}"

# a rate of 1.15: each £1,000,000.10 is €1,150,000.115, which ledger-tool
# rounds to €1,150,000.12 (half away from zero) and hledger keeps unrounded
# until the sum: -X gives Funders:UK -2,300,000.23 where -B gives -2,300,000.24;
# each purpose alone is 1,150,000.115, shown by hledger as 1,150,000.12 (half
# to even), the same; Purposes:Aid and Purposes differ as Funders:UK does
ROUNDING = ("""\
[ledger]
name = "r14"
currency = "EUR"

[[entry]]
id = "r1"
date = 2019-05-01
funder = "UK"
purpose = "Aid:Food"
amount = "£1,000,000.10"

[[entry]]
id = "r2"
date = 2019-05-02
funder = "UK"
purpose = "Aid:Water"
amount = "£1,000,000.10"
""", "2019-01-01,GBP,EUR,1.15,test\n")

# valued at its value_date's rate (0.875); the only P directive before its
# entry date is that day's, so -X finds the same rate: £875,000.00 both ways
SAME_RATE = ("""\
[ledger]
name = "s14"
currency = "GBP"

[[entry]]
id = "v"
date = 2019-05-01
value_date = 2019-04-20
funder = "EU"
purpose = "Aid"
amount = "€1,000,000"
""", "2019-01-01,EUR,GBP,0.875,test\n")

# as SAME_RATE, and the rate is 0.9 from 25 April: "w" (30 April) prices that
# day, so -X values v at 0.9: £900,000.00 where ledger-tool has £875,000.00
OTHER_RATE = (SAME_RATE[0].replace('name = "s14"', 'name = "o14"') + """
[[entry]]
id = "w"
date = 2019-04-30
funder = "EU"
purpose = "Food"
amount = "€1,000"
""", "2019-01-01,EUR,GBP,0.875,test\n2019-04-25,EUR,GBP,0.9,test\n")

# XOF has no published rate: each entry is valued at its own restatement,
# and no P directive says it, so -X leaves XOF unconverted
OWN = ("""\
[ledger]
name = "x14"
currency = "GBP"

[[entry]]
id = "a"
date = 2019-03-01
funder = "X"
purpose = "P"
amount = "1000000"
currency = "XOF"
restated = ["£1,300"]

[[entry]]
id = "b"
date = 2019-05-01
funder = "X"
purpose = "Q"
amount = "2000000"
currency = "XOF"
restated = ["£2,700"]
""", "")

BY_HAND = {
    "rounding": {"Funders:UK": Decimal("-2300000.24"), "Purposes:Aid:Food": Decimal("1150000.12"),
                 "Purposes:Aid:Water": Decimal("1150000.12")},
    "same-rate": {"Funders:EU": Decimal("-875000.00"), "Purposes:Aid": Decimal("875000.00")},
    "other-rate": {"Funders:EU": Decimal("-875900.00"), "Purposes:Aid": Decimal("875000.00"),
                   "Purposes:Food": Decimal("900.00")},
    "own": {"Funders:X": Decimal("-4000.00"), "Purposes:P": Decimal("1300.00"),
            "Purposes:Q": Decimal("2700.00")},
}
CASES = {"rounding": ROUNDING, "same-rate": SAME_RATE, "other-rate": OTHER_RATE, "own": OWN}

ADVISED = re.compile(r"^; or hledger bal -X (\w{3}) (--value=\S+): the same figures", re.M)
NOT = re.compile(r"^; not -X (\w{3}) (--value=\S+), which differs here in (\d+) of (\d+) "
                 r"accounts?: (.+?) (-?[\d,.]+ \w{3})(?: unconverted)? where -B gives "
                 r"(-?[\d,.]+ \w{3});", re.M)


def _hledger() -> str:
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed (apt-get install hledger)")
    return exe


def _ledger(tmp_path, case: str) -> Path:
    text, rates = CASES[case]
    d = tmp_path / case
    d.mkdir()
    (d / "ledger.toml").write_text(text, encoding="utf-8")
    (d / "rates.csv").write_text(RATES.format(rows=rates), encoding="utf-8")
    return d


def _bal(exe, journal, *options) -> dict[str, str]:
    out = subprocess.run([exe, "-f", str(journal), "bal", *options, "--empty", "-N", "-O", "csv"],
                         capture_output=True, text=True, check=True).stdout
    return {r["account"].strip(): r["balance"].replace(",", "")
            for r in csv.DictReader(io.StringIO(out))}


def _hledger_differs(exe, journal, currency: str, value: str) -> dict[str, tuple[str, str]]:
    """Every account whose `-X` figure is not its `-B` figure in some view:
    account -> (-X, -B)."""
    out: dict[str, tuple[str, str]] = {}
    for view in (["--flat"], ["--tree", "--no-elide"]):
        for query in ([], ["not:tag:secondary"]):
            x = _bal(exe, journal, "-X", currency, value, *view, *query)
            b = _bal(exe, journal, "-B", *view, *query)
            for account in set(x) | set(b):
                if x.get(account, "0") != b.get(account, "0"):
                    out.setdefault(account, (x.get(account, "0"), b.get(account, "0")))
    return out


def _export(run_cli, ledger, journal, *options) -> str:
    code, _, err = run_cli("export", ledger, "--to", "hledger", "--basis", "recorded",
                           "-o", journal, *options)
    assert code == 0, err
    return journal.read_text(encoding="utf-8")


def _money(text: str) -> tuple[Decimal, str]:
    number, code = text.replace(",", "").split()
    return Decimal(number), code


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "").split()[0])


def _check_advice(exe, text: str, journal, currency: str, value: str) -> dict:
    """The header's advice against the real hledger; what it said."""
    differs = _hledger_differs(exe, journal, currency, value)
    advised, refused = ADVISED.search(text), NOT.search(text)
    assert (advised is None) != (refused is None), text[:2000]
    if advised:
        assert advised.groups() == (currency, value)
        assert differs == {}
        return {}
    assert refused.group(1, 2) == (currency, value)
    assert int(refused[3]) == len(differs) > 0
    account = refused[5].split(" (")[0]
    x, b = differs[account]
    assert (_money(refused[6]), _money(refused[7])) == (_money(x), _money(b))
    return differs


@pytest.mark.parametrize("case", list(CASES))
def test_the_advice_is_what_hledger_does(tmp_path, run_cli, case):
    exe = _hledger()
    ledger = _ledger(tmp_path, case)
    currency = "EUR" if case == "rounding" else "GBP"
    journal = tmp_path / f"{case}.journal"
    text = _export(run_cli, ledger, journal, "--currency", currency)
    # -B is ledger-tool's figure, worked by hand
    b = _bal(exe, journal, "-B", "--flat", "not:tag:secondary")
    assert {a: _amount(v) for a, v in b.items()} == BY_HAND[case]
    differs = _check_advice(exe, text, journal, currency, "--value=then")
    if case == "rounding":
        assert set(differs) == {"Funders", "Funders:UK", "Purposes", "Purposes:Aid"}
        assert differs["Funders:UK"] == ("-2300000.23 EUR", "-2300000.24 EUR")
        assert "rounds only an account's sum" in text
    elif case == "same-rate":   # a value_date, yet -X finds the rate used
        assert differs == {}
    elif case == "other-rate":
        assert differs["Purposes:Aid"] == ("900000.00 GBP", "875000.00 GBP")
        assert "1 entry is valued at another day's rate" in text
    else:
        assert set(differs) == {"Funders", "Funders:X", "Purposes", "Purposes:P", "Purposes:Q"}
        assert differs["Funders:X"] == ("-3000000 XOF", "-4000.00 GBP")
        assert "-X leaves XOF amounts unconverted" in text


def test_a_fixed_valuation_is_advised_at_its_date(tmp_path, run_cli):
    """With --valuation 2019-06-01 every P directive sits on that day:
    `--value=then` would leave each earlier posting unconverted."""
    exe = _hledger()
    ledger = _ledger(tmp_path, "same-rate")
    journal = tmp_path / "fixed.journal"
    text = _export(run_cli, ledger, journal, "--currency", "GBP", "--valuation", "2019-06-01")
    assert _check_advice(exe, text, journal, "GBP", "--value=2019-06-01") == {}
    assert _hledger_differs(exe, journal, "GBP", "--value=then")   # not the advice


@pytest.mark.parametrize("currency", ["GBP", "EUR", "USD", "JPY"])
def test_the_example_ledgers_advice_is_what_hledger_does(example_ledger, tmp_path, run_cli,
                                                         currency):
    """On the example ledger in EUR -X is a cent off (Funders:UK:Home Office
    -37,115,177.31 where -B gives .30): the header says so, and it advises
    -X where hledger agrees."""
    exe = _hledger()
    journal = tmp_path / f"calais-{currency}.journal"
    text = _export(run_cli, example_ledger, journal, "--currency", currency)
    differs = _check_advice(exe, text, journal, currency, "--value=then")
    if currency == "EUR":
        assert differs["Funders:UK:Home Office"] == ("-37115177.31 EUR", "-37115177.30 EUR")


def test_a_dataset_names_the_journals_account(tmp_path, run_cli):
    """The account the header names first is the first by name, so a
    journal and a dataset of the same real IATI data say the same (the
    dataset's named another one, in its partitions' order)."""
    real = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "iati"
    assert run_cli("import", "--from", "iati", real, "-o", tmp_path / "j")[0] == 0
    assert run_cli("import", "--from", "iati", real, "--to", tmp_path / "d.parquet")[0] == 0
    said = []
    for ledger in (tmp_path / "j", tmp_path / "d.parquet"):
        text = _export(run_cli, ledger, tmp_path / f"{ledger.stem}.journal",
                       "--currency", "EUR")
        said.append([ln for ln in text.splitlines() if ln.startswith("; not -X")])
    assert said[0] and said[0] == said[1]
