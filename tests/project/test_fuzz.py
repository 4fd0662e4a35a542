"""Fuzzing: mutated journals, money phrases, rate tables and spreadsheets.

Whatever the input, the readers must answer with a message that names the
place (``Problem``/``LedgerError``/``MoneyError``), never a traceback, and
never hang.  Each example runs under a watchdog (SIGALRM) that turns a hang
into a failure; hypothesis' own deadline is off because CI machines are slow.
Mutations: deleted lines, truncation, duplicated and swapped lines, invalid
UTF-8, huge and tiny numbers, deeply nested arrays/tables, very long lines,
random text.
"""
from __future__ import annotations

import contextlib
import os
import re
import signal
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from ledger import read_book
from ledger.errors import LedgerError
from ledger.model import Problem
from ledger.phrases.money import MoneyError, parse_amount

LIMIT_SECONDS = 20         # per example: generous for slow CI, still catches a hang
# modest by default (CI has 2 cores); LEDGER_FUZZ_EXAMPLES=2000 for a long local run
EXAMPLES = int(os.environ.get("LEDGER_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so no `except Exception` in the
    code under test can swallow it."""


@contextlib.contextmanager
def watchdog(seconds: float = LIMIT_SECONDS):
    def fire(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ------------------------------------------------------------------ mutations
HUGE_AND_TINY = st.sampled_from([
    "9" * 40, "1" + "0" * 400, "9" * 5000, "1e999999999", "1E+999999", "0." + "0" * 60 + "1",
    "1e-999999999", "0", "-1", "-0", "NaN", "Infinity", "-inf", "0x1F", "1_000", "12,345,678.9",
    "99999999999999999999999999999.99", "1" * 30 + "." + "1" * 30,
])


@st.composite
def mutation(draw, lines: list[bytes]):
    """One edit of a file given as lines (bytes, with line ends)."""
    n = max(len(lines), 1)
    kind = draw(st.sampled_from([
        "delete", "truncate", "duplicate", "swap", "bad_utf8", "number", "nested",
        "long_line", "random_line", "random_bytes", "crlf", "bom",
    ]))
    i = draw(st.integers(0, n - 1))
    out = list(lines)
    if kind == "delete":
        j = draw(st.integers(i, min(n, i + 5)))
        del out[i:j + 1]
    elif kind == "truncate":
        data = b"".join(out)
        cut = draw(st.integers(0, max(len(data) - 1, 0)))
        return [data[:cut]]
    elif kind == "duplicate":
        out.insert(draw(st.integers(0, n)), out[i] if out else b"\n")
    elif kind == "swap" and out:
        j = draw(st.integers(0, n - 1))
        out[i], out[j] = out[j], out[i]
    elif kind == "bad_utf8":
        bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\xa3", b"\xed\xa0\x80",
                                    b"\xc0\xaf"]))
        line = out[i] if out else b""
        k = draw(st.integers(0, len(line)))
        out[i:i + 1] = [line[:k] + bad + line[k:]]
    elif kind == "number":
        num = draw(HUGE_AND_TINY)
        key = draw(st.sampled_from([b"amount", b"date", b"period", b"id", b"funder"]))
        form = draw(st.sampled_from([b'%s = "\xc2\xa3%sm"\n', b"%s = %s\n", b'%s = "%s"\n',
                                     b'%s = "over %s years"\n', b'%s = "EUR %s"\n']))
        for k, line in enumerate(out):
            if line.lstrip().startswith(key):
                out[k] = form % (key, num.encode())
                break
        else:
            out.insert(i, form % (key, num.encode()))
    elif kind == "nested":
        depth = draw(st.sampled_from([10, 200, 900, 1200, 5000]))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b"{a=", b"}")]))
        key = draw(st.sampled_from([b"notes", b"amount", b"source", b"tags", b"x"]))
        out.insert(i, key + b" = " + opener * depth + b"1" + closer * depth + b"\n")
    elif kind == "long_line":
        size = draw(st.sampled_from([10_000, 200_000, 1_000_000]))
        key = draw(st.sampled_from([b"notes", b"amount", b"quote", b"id"]))
        fill = draw(st.sampled_from([b"a", b"9", b"\xc2\xa3", b"[", b" "]))
        out.insert(i, key + b' = "' + fill * (size // len(fill)) + b'"\n')
    elif kind == "random_line":
        text = draw(st.text(max_size=60))
        out.insert(i, text.encode("utf-8", "surrogatepass") + b"\n")
    elif kind == "random_bytes":
        out.insert(i, draw(st.binary(max_size=40)))
    elif kind == "crlf":
        out = [ln.replace(b"\n", b"\r\n") for ln in out]
    elif kind == "bom":
        out.insert(0, b"\xef\xbb\xbf")
    return out


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _assert_well_formed(problems, files: set[str], text_by_file: dict[str, bytes]):
    for p in problems:
        assert isinstance(p, Problem), p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert p.severity in ("error", "warning"), p
        text = str(p)                                  # renders without error
        assert "Traceback" not in text
        if p.file == "":
            assert p.message.startswith("ledger does not sum to zero"), p
            continue
        assert p.file in files, f"problem names an unknown file: {p}"
        if "TOML syntax error" in p.message or "not valid UTF-8" in p.message:
            assert p.line > 0, f"no line for {p}"
        if p.entry_id and b"[[entry]]" in text_by_file[p.file]:
            assert p.line > 0, f"entry problem without a line: {p}"


# ------------------------------------------------------------------ journals
@pytest.fixture(scope="module")
def journal_bytes(example_ledger) -> bytes:
    """The whole example ledger as one file (options, documents, entries)."""
    return b"\n".join((example_ledger / n).read_bytes()
                      for n in ("ledger.toml", "sources.toml", "pledges.toml"))


def test_unmutated_journal_loads_clean(tmp_path, journal_bytes):
    f = tmp_path / "book.toml"
    f.write_bytes(journal_bytes)
    problems = read_book(f, use_cache=False).problems
    assert not [p for p in problems if p.severity == "error"]


@FUZZ
@given(data=st.data())
def test_mutated_journal_never_raises(tmp_path_factory, journal_bytes, data):
    lines = _lines(journal_bytes)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        lines = data.draw(mutation(lines))
    raw = b"".join(lines)
    f = tmp_path_factory.mktemp("fz") / "book.toml"
    f.write_bytes(raw)
    with watchdog():
        book = read_book(f, use_cache=False)
        entries, problems = book.entries, book.problems
    _assert_well_formed(problems, {str(f)}, {str(f): raw})
    assert len(entries) <= raw.count(b"[[entry]]")


@pytest.mark.parametrize("payload", [
    b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    b"x = " + b"{a=" * 5000 + b"1" + b"}" * 5000 + b"\n",
    b'[[entry]]\nid = "a"\nnotes = ' + b"[" * 3000 + b"]" * 3000 + b"\n",
    b'[[entry]]\nid = "a"\ndate = 2015-01-01\namount = ' + b"9" * 5000 + b'\ncurrency = "GBP"\n',
    b'[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "UK"\namount = "\xc2\xa31m"\n'
    b'[[entry.split]]\npurpose = "x"\namount = "NaN"\n[[entry.split]]\npurpose = "y"\namount = "Infinity"\n',
    b'[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "UK"\npurpose = "P"\namount = "\xc2\xa3'
    + b"9" * 100 + b' trillion"\n',
    b"[" + b".".join([b"a"] * 5000) + b"]\n",
    b'[[entry]]\nid = "a"\ndate = ' + b"9" * 5000 + b'\nfunder = "UK"\npurpose = "P"\namount = "\xc2\xa31m"\n',
    b'[[document]]\nid = "d"\npublished = ' + b"9" * 5000 + b"\n",
])
def test_known_hard_inputs(tmp_path, payload):
    """Inputs that once raised RecursionError, ValueError or InvalidOperation."""
    f = tmp_path / "hard.toml"
    f.write_bytes(payload)
    with watchdog():
        problems = read_book(f, use_cache=False).problems
    assert [p for p in problems if p.severity == "error"], "bad input must give an error"
    _assert_well_formed(problems, {str(f)}, {str(f): payload})


@settings(max_examples=max(EXAMPLES // 3, 5), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_folder_ledger_never_raises(tmp_path_factory, example_ledger, data):
    """Mutate one file of the folder ledger; problems still name that file."""
    root = tmp_path_factory.mktemp("fzdir")
    names = ["ledger.toml", "sources.toml", "pledges.toml"]
    victim = data.draw(st.sampled_from(names), label="file")
    texts = {}
    for n in names:
        raw = (example_ledger / n).read_bytes()
        if n == victim:
            lines = data.draw(mutation(_lines(raw)))
            raw = b"".join(lines)
        (root / n).write_bytes(raw)
        texts[str(root / n)] = raw
    with watchdog():
        problems = read_book(root, use_cache=False).problems
    _assert_well_formed(problems, set(texts), texts)


# ------------------------------------------------------------------ money phrases
CURRENCY = st.sampled_from(["£", "€", "$", "US$", "GBP ", "EUR ", "", "¥", "CHF "])
SCALE = st.sampled_from(["", "m", " million", " bn", " billion", " trillion", "k", " thousand"])
TAIL = st.sampled_from(["", " a year", " over 3 years", " per year for 2 years", " in 2021-22",
                        " (€15 million, $19 million)", " over 0 years", " over 1e9999 years",
                        " per year for 99999999999999999999 years", " (", ")", " over"])
HEAD = st.sampled_from(["", "up to ", "more than ", "around ", "a further ", "over ", "-"])


@st.composite
def money_phrase(draw):
    num = draw(st.one_of(
        HUGE_AND_TINY,
        st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
        st.integers(min_value=-10**40, max_value=10**40).map(str),
    ))
    cur = draw(CURRENCY)
    if draw(st.booleans()):
        return f"{draw(HEAD)}{cur}{num}{draw(SCALE)}{draw(TAIL)}"
    return f"{draw(HEAD)}{num}{draw(SCALE)} {cur.strip() or 'GBP'}{draw(TAIL)}"


def _parse_or_error(text: str):
    with watchdog():
        try:
            return parse_amount(text)
        except MoneyError as err:
            assert str(err).strip(), "a MoneyError needs a message"
            return None


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(st.one_of(money_phrase(), st.text(max_size=200)))
@example("£" + "9" * 100000)
@example("£" + "9" * 40 + " trillion")
@example("£1." + "1" * 40 + "m")
@example("€" * 100000)
@example("up to " * 5000 + "£1m")
@example("£1m (" + "€1m, " * 3000 + ")")
def test_parse_amount_only_raises_money_error(text):
    parsed = _parse_or_error(text)
    if parsed is not None:
        assert isinstance(parsed.amount, Decimal) and parsed.amount.is_finite()
        assert parsed.amount > 0
        assert re.fullmatch(r"[A-Z]{3}", parsed.currency)


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("999999999999999"),
                   allow_nan=False, allow_infinity=False, places=6),
       st.sampled_from(["GBP", "EUR", "USD"]))
def test_plain_amounts_are_read_exactly(value, code):
    """No silent conversion: a plain number with a code is read digit for digit."""
    if value <= 0:
        return
    text = format(value, "f")
    parsed = parse_amount(f"{text} {code}")
    assert parsed.amount == value and parsed.currency == code


def test_too_many_digits_is_an_error_not_a_rounding():
    """28+ significant digits cannot be held exactly: refuse, don't round."""
    for text in ("£1." + "1" * 40 + "m", "£" + "9" * 40, "£" + "9" * 30 + " trillion"):
        with pytest.raises(MoneyError, match="digits"):
            parse_amount(text)


# ------------------------------------------------------------------ rate tables
@pytest.fixture(scope="module")
def rates_csv_bytes() -> bytes:
    rows = ["# rates used by a budget", "date,from,to,rate,source",
            "2014-09-20,GBP,EUR,1.2543,budget 2014", "2015-07-14,GBP,EUR,1.4123,",
            "2015-07-14,USD,GBP,0.6419,statement", "", "2016-03-03,EUR,GBP,0.78,"]
    return ("\n".join(rows) + "\n").encode("utf-8")


@FUZZ
@given(data=st.data())
def test_mutated_rates_csv_only_raises_ledger_error(tmp_path_factory, rates_csv_bytes, data):
    from rates.usercsv import read_rates_csv

    lines = _lines(rates_csv_bytes)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        lines = data.draw(mutation(lines))
    f = tmp_path_factory.mktemp("rz") / "rates.csv"
    f.write_bytes(b"".join(lines))
    with watchdog():
        try:
            frame = read_rates_csv(f)
        except LedgerError as err:
            msg = str(err)
            assert msg.startswith(str(f)), f"message does not name the file: {msg}"
            assert "\n" not in msg.strip()
            return
    assert list(frame.columns)[:4] == ["date", "from", "to", "rate"]
    assert all(isinstance(r, Decimal) and r > 0 for r in frame["rate"])
    assert all(o.startswith(f"{f}:") for o in frame["origin"])


def test_unmutated_rates_csv_reads(tmp_path, rates_csv_bytes):
    from rates.usercsv import read_rates_csv

    f = tmp_path / "rates.csv"
    f.write_bytes(rates_csv_bytes)
    frame = read_rates_csv(f)
    data_lines = [ln for ln in rates_csv_bytes.decode().splitlines()[2:] if ln.strip()]
    assert len(frame) == len(data_lines)      # no lost rows


# ------------------------------------------------------------------ importer
def _importer():
    return pytest.importorskip("ledger.imports.table", reason="ledger/imports/table.py not written yet")


@pytest.fixture(scope="module")
def pledges_csv_bytes() -> bytes:
    rows = [
        "id,date,funder,purpose,amount,period,status,source,quote",
        'fz-1,2014-09-20,UK:Home Office,Security:Calais port,£12 million,over 3 years,pledged,'
        '001_c33d2c2f8263bd4b,"£12 million financed"',
        "fz-2,2015-07-14,UK:Home Office,Security:Railhead,up to £7 million,,pledged,"
        "001_c33d2c2f8263bd4b,up to £7 million",
        "fz-3,2015-08-20,France,Humanitarian:Calais,€5m,,committed,,",
        ",2016-03-03,UK,Security:Other,\"£1,500,000\",per year,pledged,,",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


@FUZZ
@given(data=st.data())
def test_mutated_import_table_never_raises_or_loses_rows(tmp_path_factory, pledges_csv_bytes, data):
    importer = _importer()
    lines = _lines(pledges_csv_bytes)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        lines = data.draw(mutation(lines))
    f = tmp_path_factory.mktemp("iz") / "pledges.csv"
    f.write_bytes(b"".join(lines))
    with watchdog():
        try:
            result = importer.import_table(f)
        except LedgerError as err:
            assert str(f) in str(err), f"message does not name the file: {err}"
            return
    rejected_rows = {r.line for r in result.rejects}
    assert all(r.line >= 2 for r in result.rejects)
    for m in result.messages():
        assert m.startswith(str(f)) and "row" in m
    # every non-blank row is an entry or a reject: nothing dropped silently
    assert len(result.entries) + len(rejected_rows) >= result.rows
