"""The hledger export's own tags cannot be made by the ledger's text (hunt 14,
finding 1): a user tag named like one of the export's markers (`secondary`,
`year`, …), a quote with "secondary: …" in it, or a ';' in a funder's name
made hledger's advised query leave counted money out.  Checked with the
real hledger: the header's query gives `balance`'s total."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import journal_names as jn
from tests.conftest import REPO

LEDGER = '''[ledger]
currency = "GBP"

[[document]]
id = "d"
title = "d"

[[entry]]
id = "s1"
date = 2015-01-01
funder = "F"
purpose = "P"
amount = "£5m"
tags = ["secondary"]

[[entry]]
id = "s2"
date = 2015-01-01
funder = "F"
purpose = "Q"
amount = "£3m"
tags = ["x", "secondary", "Year", "tag-a", "SOURCE"]

[[entry]]
id = "s3"
date = 2015-01-01
funder = "G"
purpose = "R"
amount = "£2m"
source = {doc = "d", quote = "£2m, secondary: this, year:2020"}

[[entry]]
id = "s4"
date = 2015-01-01
funder = "G"
purpose = "R"
amount = "£7m"
tags = ["not-counted"]

[[entry]]
id = "s5"
date = 2015-06-01
funder = "G"
purpose = "R"
amount = "£2m"
status = "disbursed"
disburses = "s3"
'''


def _hledger() -> str:
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed: apt-get install hledger")
    return exe


@pytest.fixture
def journal(tmp_path, run_cli):
    (tmp_path / "j.toml").write_text(LEDGER, encoding="utf-8")
    out = tmp_path / "s.journal"
    code, _, err = run_cli("export", tmp_path / "j.toml", "--to", "hledger", "-o", out)
    assert code == 0, err
    return out


def _total(exe, journal, *query) -> Decimal:
    run = subprocess.run([exe, "-f", str(journal), "bal", "-B", "Purposes", *query, "-O",
                          "csv", "-N", "--flat"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return sum((Decimal(line.split('","')[1].split()[0].replace(",", ""))
                for line in run.stdout.splitlines()[1:]), Decimal(0))


def test_the_advised_query_gives_balances_total(journal):
    exe = _hledger()
    head = journal.read_text(encoding="utf-8").split("\n\n")[0]
    query = re.search(r"add '([^']+)'", head)
    assert query, head
    # £5m + £3m + £2m counted; £7m recorded but tagged not-counted, £2m
    # disbursing s3 (counted by it)
    assert _total(exe, journal, query.group(1)) == Decimal("10000000.00")
    assert _total(exe, journal) == Decimal("19000000.00")
    # the quote's "year:2020" is no tag: every transaction is in 2015's only
    assert _total(exe, journal, "tag:year=2020") == 0
    assert _total(exe, journal, "tag:year=^2015$") == Decimal("19000000.00")


def test_user_tags_keep_their_entries_and_a_name_of_their_own(journal):
    run = subprocess.run([_hledger(), "-f", str(journal), "tags"], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    # s2's own "secondary" is renamed, its "x" kept
    assert set(run.stdout.split()) == {
        "id", "status", "period", "qualifier", "year", "source", "secondary", "x",
        "tag-secondary", "tag-Year", "tag-tag-a", "tag-SOURCE", "not-counted", "type", "disburses"}
    assert "; secondary:" not in journal.read_text(encoding="utf-8").split("(s2)")[1] \
        .split("(s3)")[0]


def test_a_semicolon_in_a_name_does_not_start_the_comment():
    assert jn._description("UK; secondary: yes\nnext") == "UK； secondary: yes next"


@given(st.lists(st.text(min_size=1, max_size=12), max_size=6, unique=True))
def test_user_tag_names_are_one_to_one_and_never_the_exports(tags):
    names = [jn._tag_name(t) for t in tags]
    assert not {n.casefold() for n in names} & jn.EXPORT_TAGS
    raw = {re.sub(r"[^\w-]", "-", t) for t in tags}     # one-to-one where these are
    assert len(set(names)) == len(raw)


def _ledger_total(exe, journal, *query) -> Decimal:
    run = subprocess.run([exe, "-f", str(journal), "csv", "-B", "^Purposes", *query],
                         capture_output=True, text=True)
    assert run.returncode == 0 and not run.stderr, run.stderr
    return sum((Decimal(row[5]) for row in csv.reader(io.StringIO(run.stdout))), Decimal(0))


@pytest.mark.parametrize("example", [None, "calais", "harbour"])
def test_ledger_cli_reads_the_same_tags(journal, example, tmp_path, run_cli):
    """ledger 3 reads `; name: value` (a space after the colon) and `; name:`
    as tags, as hledger does; `; name:value` it did not."""
    exe = shutil.which("ledger")
    if exe is None:
        pytest.skip("ledger not installed: apt-get install ledger")
    if example:
        journal = tmp_path / f"{example}.journal"
        code, _, err = run_cli("export", REPO / "examples" / example, "--to", "hledger", "-o",
                               journal)
        assert code == 0, err
    theirs = _total(_hledger(), journal, "not:tag:^secondary$")
    assert _ledger_total(exe, journal, "and", "not", "%^secondary$") == theirs
    if example is None:
        assert theirs == Decimal("10000000.00")
        assert _ledger_total(exe, journal, "and", "%year=^2015$") == Decimal("19000000.00")
