"""The phrase modules compile their regular expressions on first use, not
at import: every command imports them, few use most of them."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_import_compiles_no_phrase_pattern():
    code = textwrap.dedent("""
        import re, sys
        compiled = []
        real = re.compile
        def counting(pattern, flags=0):
            f = sys._getframe(1)
            if "phrases" in f.f_code.co_filename:
                compiled.append(f"{f.f_code.co_filename}:{f.f_lineno}")
            return real(pattern, flags)
        re.compile = counting
        import ledger.phrases.extract
        print(len(compiled), compiled[:3])
        from ledger.phrases.money import parse_amount
        print(parse_amount("about EUR 1.5 million a year for 3 years"))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout.splitlines()
    assert out[0] == "0 []"
    assert "amount=Decimal('1500000'), currency='EUR', qualifier='about'" in out[1]


def test_lazy_pattern_behaves_as_compiled():
    import re

    from ledger.phrases.lazy import lazy_re

    rx = lazy_re(r"(?P<n>\d+) (?P<w>[a-z]+)", re.IGNORECASE)
    real = re.compile(r"(?P<n>\d+) (?P<w>[a-z]+)", re.IGNORECASE)
    text = "12 Apples, 3 pears"
    assert rx.search(text).groupdict() == real.search(text).groupdict()
    assert [m.span() for m in rx.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert rx.sub("x", text) == real.sub("x", text)
    assert rx.match(text, 4) is None and rx.fullmatch("3 pears").group("w") == "pears"
    assert (rx.pattern, rx.flags, rx.groupindex) == (real.pattern, real.flags, real.groupindex)
