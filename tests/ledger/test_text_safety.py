"""ledger/text_safety.py: bidi controls in source text are shown as \\uNNNN,
never sent, in every file output (CSV, Parquet, hledger, beancount, Fiscal
Data Package, the report's tables); the page, workbook and terminal have
their own tests (tests/reports/test_html.py, test_workbook.py, test_text.py)."""
from __future__ import annotations

import re
import shutil
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.text_safety import one_line, show_bidi, show_bidi_arrow, show_bidi_frame, show_bidi_table

RLO, RLI, ALM = "\u202e", "\u2067", "\u061c"
# Unicode's Bidi_Control property, worked out independently of ledger.model:
# the explicit embeddings, overrides and isolates, and the three marks
BIDI_CONTROL = {c for c in map(chr, range(0x110000))
                if unicodedata.category(c) == "Cf"
                and (unicodedata.bidirectional(c) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI",
                                                      "RLI", "FSI", "PDI")
                     or unicodedata.name(c) in ("LEFT-TO-RIGHT MARK", "RIGHT-TO-LEFT MARK",
                                                "ARABIC LETTER MARK"))}


def _raw(text: str) -> int:
    return sum(c in BIDI_CONTROL for c in text)


def test_every_bidi_control_is_shown_and_nothing_else_changes():
    assert len(BIDI_CONTROL) == 12
    for c in BIDI_CONTROL:
        assert show_bidi(f"a{c}b") == f"a\\u{ord(c):04x}b"
    other = "£7 million, \u200b zero width, \u00e9, \u05d0 Hebrew, \\u202e already"
    assert show_bidi(other) == other


def test_frames_and_arrow_tables_are_escaped_column_by_column():
    import pandas as pd
    import pyarrow as pa

    frame = pd.DataFrame({"quote": pd.Series([f"up to {RLO}£7m", "plain", None], dtype=object),
                          "text": [f"{RLI}a", "b", "c"], "n": [1, 2, 3]})
    shown = show_bidi_frame(frame)
    assert shown["quote"].tolist() == ["up to \\u202e£7m", "plain", None]
    assert shown["text"].tolist() == ["\\u2067a", "b", "c"]
    assert shown["text"].dtype == frame["text"].dtype
    assert frame["quote"][0] == f"up to {RLO}£7m"       # the input is left as it was
    plain = frame.iloc[1:, 2:]
    assert show_bidi_frame(plain) is plain
    table = pa.table({"t": [f"{RLI}x", "y"], "d": pa.array([f"{ALM}a", "b"]).dictionary_encode(),
                      "n": [1, 2]})
    got = show_bidi_table(table).to_pylist()
    assert got == [{"t": "\\u2067x", "d": "\\u061ca", "n": 1}, {"t": "y", "d": "b", "n": 2}]
    plain = pa.array(["a", "b"])
    assert show_bidi_arrow(plain) is plain


@pytest.fixture
def bidi_ledger(tmp_path, example_ledger):
    book = tmp_path / "book"
    shutil.copytree(example_ledger, book)
    p = book / "pledges.toml"
    t = p.read_text()
    t = t.replace('notes = "UK-France Joint Declaration',
                  f'notes = "{RLO}UK-France Joint Declaration', 1)
    t = t.replace('location = "Calais"', f'location = "Cal{RLI}ais"', 1)
    t = t.replace('quote = "up to £7 million"', f'quote = "up to {RLO}£7 million"', 1)
    p.write_text(t)
    s = book / "sources.toml"
    s.write_text(s.read_text().replace('title = "Joint action', f'title = "{RLO}Joint action', 1)
                 .replace('publisher = "Home Office (GOV.UK)"', f'publisher = "Home {ALM}Office"'))
    led = book / "ledger.toml"
    led.write_text(led.read_text().replace('name = "UK-France', f'name = "{RLO}UK-France'))
    return book


def _text_of(path) -> str:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq
        return "\n".join(str(v) for row in pq.read_table(path).to_pylist() for v in row.values())
    if path.suffix in (".png", ".xlsx"):
        return ""
    return path.read_bytes().decode("utf-8")


def test_no_file_output_carries_a_raw_bidi_control(run_cli, bidi_ledger, tmp_path):
    """Quotes, notes, locations, titles, publishers and the ledger's name hold
    bidi controls: every export and the report's tables show them escaped."""
    outs = {"csv": tmp_path / "x.csv", "parquet": tmp_path / "x.parquet",
            "hledger": tmp_path / "x.journal", "beancount": tmp_path / "x.beancount",
            "fdp": tmp_path / "fdp"}
    for fmt, out in outs.items():
        code, _, err = run_cli("export", bidi_ledger, "--to", fmt, "-o", out)
        assert code == 0, err
    code, _, err = run_cli("report", bidi_ledger, "--out", tmp_path / "r")
    assert code == 0, err
    files = [p for p in tmp_path.rglob("*") if p.is_file() and "book" not in p.parts]
    assert len(files) >= 12
    for f in files:
        text = _text_of(f)
        assert _raw(text) == 0, (f, [m.start() for m in re.finditer(f"[{RLO}{RLI}{ALM}]", text)])
    for fmt in ("csv", "parquet"):        # escaped, not dropped
        text = _text_of(outs[fmt])
        assert "\\u202eUK-France Joint Declaration" in text and "Cal\\u2067ais" in text
        assert "up to \\u202e£7 million" in text
    assert "up to \\u202e£7 million" in outs["hledger"].read_text()
    sources = _text_of(tmp_path / "r" / "sources.csv")
    assert "\\u202eJoint action" in sources and "Home \\u061cOffice" in sources
    assert "\\u202eUK-France" in (outs["fdp"] / "datapackage.json").read_text()


def test_beancount_reads_the_escape_back_as_written(run_cli, bidi_ledger, tmp_path):
    """In a beancount string the escape's backslash is itself escaped: the
    value read back is the visible \\u202e, as in every other output."""
    loader = pytest.importorskip("beancount.loader", reason="beancount is not installed")
    out = tmp_path / "x.beancount"
    assert run_cli("export", bidi_ledger, "--to", "beancount", "-o", out)[0] == 0
    entries, errors, options = loader.load_file(str(out))
    assert not errors
    assert options["title"].startswith("\\u202eUK-France")
    quotes = [v for e in entries for k, v in getattr(e, "meta", {}).items()
              if k.startswith("quote") and "£7 million" in str(v)]
    assert "up to \\u202e£7 million" in quotes, quotes


# text near the controls' UTF-8 bytes: "€", "–" and "“" share their first byte
# (E2) and "…" their first two (E2 80)
_NEAR = ["a", "€", "–", "“", "…", "\u2065", "\u206a", "\u061b", RLO, RLI, ALM, "\u200e"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | st.text(st.sampled_from(_NEAR), max_size=4), max_size=12),
       st.integers(0, 3), st.booleans(), st.booleans())
def test_arrow_columns_are_escaped_as_each_string_is(values, cut, large, chunked):
    """``show_bidi_arrow`` on a string array (sliced, chunked, nulls, large
    or not): each value as ``show_bidi`` writes it; an array with none is
    returned as it is."""
    import pyarrow as pa

    arr = pa.array(values, type=pa.large_string() if large else pa.string())[cut:]
    if chunked:
        arr = pa.chunked_array([arr[:2], arr[2:]], type=arr.type)
    got = show_bidi_arrow(arr)
    want = [None if v is None else show_bidi(v) for v in values[cut:]]
    assert got.to_pylist() == want
    if want == values[cut:]:
        assert got is arr


def test_one_line_leaves_no_line_break_nor_control():
    breaks = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x1b\x00\x7f\x9b\u202e\t"
    shown = one_line(f"a{breaks}b")
    assert shown.startswith("a") and shown.endswith("b")
    assert len(shown.splitlines()) == 1
    assert not any(ch in shown for ch in breaks)
    assert "\\x0a" in shown and "\\u2028" in shown and "\\u202e" in shown
    assert one_line("café £5m ü") == "café £5m ü"
