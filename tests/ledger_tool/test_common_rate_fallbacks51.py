"""``rate_fallbacks`` (run by every ``check``) reads no exchange rates for a
ledger whose currencies all have the ECB's: the history's header says which
currencies it has, and a table of rates only adds currencies."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def _book(tmp_path, run_cli, amounts):
    book = tmp_path / "book"
    code, _, err = run_cli("init", book)
    assert code == 0, err
    (book / "z.toml").write_text("".join(
        f'[[entry]]\nid = "e{i}"\ndate = 2020-01-01\nfunder = "Gov"\npurpose = "P"\n'
        f'amount = "{a}"\n\n' for i, a in enumerate(amounts)), encoding="utf-8")
    return book


def _fallbacks(book):
    script = textwrap.dedent(f"""
        from ledger import read_book
        from ledger_tool.common import rate_fallbacks
        from rates import ecb
        print(rate_fallbacks(read_book({str(book)!r})))
        print(ecb.load_ecb.cache_info().currsize)
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": os.getcwd(), "LEDGER_TOOL_CACHE": "off"})
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_ecb_currencies_read_no_rates(tmp_path, run_cli):
    book = _book(tmp_path, run_cli, ["CHF 5 million", "£2m", "JPY 300 million"])
    assert _fallbacks(book) == ["([], [])", "0"]


def test_a_currency_without_rates_is_still_said(tmp_path, run_cli):
    book = _book(tmp_path, run_cli, ["CHF 5 million", "XOF 98.4 billion"])
    out = _fallbacks(book)
    assert "warning: no exchange rates for XOF and no restated amount" in out[0], out
    assert "'e1'" in out[0] and "'e0'" not in out[0], out


def test_the_header_names_the_currencies_the_rates_have():
    from rates import ecb

    assert ecb.published() == frozenset(ecb.load_ecb()["currency"].unique()) | {"EUR"}
