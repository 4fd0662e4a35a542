"""`ledger-tool add` and ledger.edit: validated, formatting-preserving, atomic edits."""
from __future__ import annotations

import datetime as dt
import os
import random
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ledger
from ledger.edit import _new_bytes, add_entry, render_entry, target_file
from ledger.errors import LedgerError
from ledger.phrases.money import parse_amount
from tests.conftest import REPO

DOC = "001_c33d2c2f8263bd4b"     # a document declared in the example's sources.toml


@pytest.fixture
def book(tmp_path, example_ledger) -> Path:
    """A private copy of the example ledger folder."""
    dest = tmp_path / "calais"
    shutil.copytree(example_ledger, dest)
    return dest


def _args(**kw) -> list[str]:
    base = {"id": "new-entry-1", "date": "2015-08-01", "funder": "UK:Home Office",
            "purpose": "Security:Calais port", "amount": "£7m", "source": DOC,
            "quote": "up to £7 million"}
    base.update(kw)
    out = []
    for k, v in base.items():
        if v is None:
            continue
        out += [f"--{k.replace('_', '-')}", v]
    return out


def _quote_of(seed_text: str) -> str:
    """A real phrase from a seed document carrying a figure (first '£' phrase)."""
    i = seed_text.index("£")
    return seed_text[i:i + 14].split("\n")[0]


# ------------------------------------------------------------------ the command
def test_add_appends_entry_and_keeps_existing_bytes(book, run_cli, seeds_dir):
    quote = _quote_of((seeds_dir / f"{DOC}.txt").read_text(encoding="utf-8"))
    before = (book / "pledges.toml").read_bytes()
    n_before = len(ledger.load(book).entries)
    code, out, err = run_cli("add", book, *_args(quote=quote, period="over 2 years",
                                                   restated="€10 million", tag="test"))
    assert code == 0, err
    after = (book / "pledges.toml").read_bytes()
    assert after.startswith(before)                # comments, order, formatting kept byte for byte
    assert b"# Each money figure" in after         # the file's header comment survives
    loaded = ledger.load(book)
    assert len(loaded.entries) == n_before + 1
    e = loaded.entry("new-entry-1")
    expected = parse_amount("£7m")
    assert (e.amount, e.currency) == (expected.amount, expected.currency)
    assert e.date == dt.date(2015, 8, 1)
    assert e.funder == "UK:Home Office" and e.purpose == "Security:Calais port"
    assert e.period.describe() == "over 2 years"
    assert e.tags == ("test",)
    assert [c.quote for c in e.sources] == [quote]
    assert e.line > 0 and Path(e.file) == book / "pledges.toml"
    assert "added entry 'new-entry-1'" in err and out == ""


def test_add_keeps_indentation_style_of_subtables(book, run_cli):
    code, _, err = run_cli("add", book, *_args())
    assert code == 0, err
    text = (book / "pledges.toml").read_text(encoding="utf-8")
    tail = text[text.rindex("[[entry]]"):]
    # the example indents [[entry.source]] by two spaces; the new entry does too
    assert "\n  [[entry.source]]\n" in tail


@pytest.mark.parametrize("change, words", [
    ({"id": "uk-joint-declaration-2014"}, "duplicate id"),
    ({"source": "no-such-document"}, "unknown document"),
    ({"amount": "£-7m"}, "positive"),
    ({"amount": "7 zorkmids"}, "amount"),
    ({"funder": "UK::Home Office"}, "not a valid account"),
    ({"period": "over three fortnights"}, "period"),
    ({"part_of": "missing-package"}, "missing entry"),
])
def test_add_rejects_an_entry_that_would_break_the_ledger(book, run_cli, change, words):
    path = book / "pledges.toml"
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    code, out, err = run_cli("add", book, *_args(**change))
    assert code == 1
    assert words in err
    assert "new-entry-1" in err or "uk-joint-declaration-2014" in err
    assert "pledges.toml" in err and "Traceback" not in err
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert not [p for p in book.iterdir() if p.name.endswith(".tmp")]


def test_add_reports_every_missing_option(book, run_cli):
    code, _, err = run_cli("add", book, "--id", "x")
    assert code == 1
    for opt in ("--date", "--funder", "--purpose", "--amount"):
        assert opt in err


def test_add_bad_date_is_usage_error(book, run_cli):
    code, _, err = run_cli("add", book, *_args(date="2015-02-30"))
    assert code == 2 and "2015-02-30" in err


def test_dry_run_prints_valid_toml_and_writes_nothing(book, run_cli):
    before = (book / "pledges.toml").read_bytes()
    code, out, err = run_cli("add", book, *_args(notes='He said "=1+2"\tthen\\left'), "--dry-run")
    assert code == 0, err
    assert (book / "pledges.toml").read_bytes() == before
    data = tomllib.loads(out)
    assert data["entry"][0]["notes"] == 'He said "=1+2"\tthen\\left'
    assert "nothing written" in err


def test_add_warns_about_entry_without_source(book, run_cli):
    code, _, err = run_cli("add", book, *_args(source=None, quote=None))
    assert code == 0
    assert "no source" in err and "new-entry-1" in err


def test_add_keeps_file_mode(book, run_cli):
    path = book / "pledges.toml"
    os.chmod(path, 0o640)
    assert run_cli("add", book, *_args())[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_refuses_when_file_changes_during_add(book, monkeypatch):
    import ledger.edit as edit

    real = edit._validate

    def meddling(root, target, new):
        problems = real(root, target, new)
        with open(target, "ab") as fh:        # someone else edits the file meanwhile
            fh.write(b"\n# edited by someone else\n")
        return problems

    monkeypatch.setattr(edit, "_validate", meddling)
    with pytest.raises(LedgerError, match="changed while"):
        add_entry(book, {"id": "x-1", "date": dt.date(2015, 1, 1), "funder": "UK",
                         "purpose": "P", "amount": "£1m"})
    assert (book / "pledges.toml").read_bytes().endswith(b"# edited by someone else\n")
    assert "x-1" not in (book / "pledges.toml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ which file
def test_file_option_creates_new_journal_file(book, run_cli):
    code, _, err = run_cli("add", book, *_args(), "--file", "extra/2015.toml")
    assert code == 0, err
    new = book / "extra" / "2015.toml"
    assert new.is_file()
    assert ledger.load(book).entry("new-entry-1").file == str(new)


@pytest.mark.parametrize("bad", ["../outside.toml", ".hidden/x.toml", "notes.txt"])
def test_file_option_rejects_files_the_ledger_would_not_read(book, run_cli, bad):
    code, _, err = run_cli("add", book, *_args(), "--file", bad)
    assert code == 1 and "--file" in err
    assert not (book / bad).exists()


def test_default_target_without_pledges_file(book):
    (book / "pledges.toml").rename(book / "2014-15.toml")
    (book / "zz-notes.toml").write_text("# only a comment\n[ledger]\ndescription = 'x'\n",
                                        encoding="utf-8")
    assert target_file(book) == book / "2014-15.toml"      # last file that holds entries
    assert target_file(book / "2014-15.toml") == book / "2014-15.toml"
    with pytest.raises(LedgerError):
        target_file(book / "2014-15.toml", file=book / "other.toml")


def test_single_file_ledger_with_bom_and_crlf(tmp_path, example_ledger, run_cli):
    parts = [(example_ledger / n).read_text(encoding="utf-8") for n in
             ("ledger.toml", "sources.toml", "pledges.toml")]
    raw = ("\n".join(parts)).replace("\n", "\r\n").encode("utf-8")
    f = tmp_path / "book.toml"
    f.write_bytes(b"\xef\xbb\xbf" + raw)
    code, _, err = run_cli("add", f, *_args())
    assert code == 0, err
    new = f.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf" + raw)
    assert b"\n" not in new.replace(b"\r\n", b"")      # still CRLF everywhere
    assert ledger.load(f).entry("new-entry-1").amount == parse_amount("£7m").amount


# ------------------------------------------------------------------ drafts
@pytest.fixture
def draft(tmp_path, seeds_dir, run_cli) -> Path:
    out = tmp_path / "draft.toml"
    code, _, err = run_cli("extract", seeds_dir / f"{DOC}.txt", "--draft", out)
    assert code == 0, err
    return out


def test_add_from_extract_draft(book, draft, run_cli):
    entries = tomllib.loads(draft.read_text(encoding="utf-8"))["entry"]
    assert len(entries) > 1
    pick = len(entries)
    want = entries[pick - 1]
    code, _, err = run_cli("add", book, "--from-extract", draft, "--pick", str(pick),
                           "--date", "2015-07-30", "--funder", "UK", "--purpose", "Other:Test")
    assert code == 0, err
    e = ledger.load(book).entry(want["id"])
    p = parse_amount(want["amount"])
    assert (e.amount, e.currency) == (p.amount, p.currency)
    assert [(c.doc, c.quote, c.locator) for c in e.sources] == \
        [(s["doc"], s["quote"], s["locator"]) for s in want["source"]]


def test_add_from_extract_pick_by_id_and_override(book, draft, run_cli):
    first = tomllib.loads(draft.read_text(encoding="utf-8"))["entry"][0]
    code, _, err = run_cli("add", book, "--from-extract", draft, "--pick", first["id"],
                           "--id", "renamed", "--date", "2015-07-30", "--funder", "UK",
                           "--purpose", "Other:Test", "--status", "committed")
    assert code == 0, err
    e = ledger.load(book).entry("renamed")
    assert e.status == "committed" and e.sources[0].doc == first["source"][0]["doc"]


@pytest.mark.parametrize("extra, words", [
    ([], "--pick"),                             # several entries, none chosen
    (["--pick", "999"], "entries 1 to"),
    (["--pick", "no-such-id"], "no entry"),
    (["--pick", "1"], "--date"),                # the draft has TODO placeholders
])
def test_add_from_extract_errors(book, draft, run_cli, extra, words):
    before = (book / "pledges.toml").read_bytes()
    code, _, err = run_cli("add", book, "--from-extract", draft, *extra)
    assert code == 1 and words in err and "Traceback" not in err
    assert (book / "pledges.toml").read_bytes() == before


def test_pick_without_draft_is_usage_error(book, run_cli):
    assert run_cli("add", book, *_args(), "--pick", "1")[0] == 2


# ------------------------------------------------------------------ round trip
_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=80)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quote=_text, notes=_text, locator=_text)
def test_any_text_round_trips_through_add(tmp_path_factory, example_ledger, quote, notes, locator):
    book = tmp_path_factory.mktemp("rt") / "calais"
    shutil.copytree(example_ledger, book)
    add_entry(book, {"id": "rt-1", "date": dt.date(2015, 1, 1), "funder": "UK",
                     "purpose": "P", "amount": "£1m", "notes": notes,
                     "source": [{"doc": DOC, "quote": quote, "locator": locator}]})
    e = ledger.load(book).entry("rt-1")
    assert e.sources[0].quote == quote and e.sources[0].locator == locator
    assert e.notes == notes.strip()          # the reader strips free-text fields


def test_render_entry_is_valid_toml_in_documented_order():
    fields = {"notes": "n", "source": [{"doc": "d", "quote": "q"}], "amount": "£1m",
              "id": "a", "date": dt.date(2015, 1, 1), "funder": "F", "purpose": "P", "tags": ()}
    text = render_entry(fields)
    keys = [ln.split(" =")[0] for ln in text.splitlines() if " = " in ln and not ln.startswith(" ")]
    assert keys == ["id", "date", "funder", "purpose", "amount", "notes"]
    assert tomllib.loads(text)["entry"][0]["source"] == [{"doc": "d", "quote": "q"}]


# ------------------------------------------------------------------ killed writes
_HELPER = textwrap.dedent("""
    import datetime as dt, sys
    mode, book = sys.argv[1], sys.argv[2]
    from ledger.atomic import write_atomic
    from ledger.edit import add_entry
    from ledger_tool.cli import main
    base = open(book + "/pledges.toml", "rb").read()
    for i in range(100_000):
        if mode == "api":
            add_entry(book, {"id": f"kill-{i}", "date": dt.date(2015, 1, 1), "funder": "UK",
                             "purpose": "Test:Kill", "amount": f"£{i + 1}m",
                             "notes": "x" * (i * 97 % 4000),
                             "source": [{"doc": "@DOC@", "quote": "q"}]})
        elif mode == "cli":
            rc = main(["add", book, "--id", f"kill-{i}", "--date", "2015-01-01",
                       "--funder", "UK", "--purpose", "Test:Kill", "--amount", f"£{i + 1}m",
                       "--notes", "x" * (i * 97 % 4000), "--source", "@DOC@", "--quote", "q"])
            assert rc == 0
        else:   # raw atomic writes of a growing ledger, as fast as possible
            write_atomic(book + "/pledges.toml", base + b"# pad\\n" * (i + 1) * 50)
        print(i, flush=True)
""")


def _versions(old: bytes, n: int, mode: str) -> list[bytes]:
    """The file's content after 0, 1, ..., n successful writes."""
    if mode == "raw":
        return [old] + [old + b"# pad\n" * (i + 1) * 50 for i in range(n)]
    out, cur = [old], old
    for i in range(n):
        fields = {"id": f"kill-{i}", "date": dt.date(2015, 1, 1), "funder": "UK",
                  "purpose": "Test:Kill", "amount": f"£{i + 1}m",
                  "notes": "x" * (i * 97 % 4000), "source": [{"doc": DOC, "quote": "q"}]}
        cur = _new_bytes(cur, render_entry(fields), "\n")[0]
        out.append(cur)
    return out


@pytest.mark.parametrize("mode", ["api", "cli", "raw"])
def test_sigkill_during_adds_leaves_old_or_new_version(tmp_path, example_ledger, mode):
    helper = tmp_path / "helper.py"
    helper.write_text(_HELPER.replace("@DOC@", DOC), encoding="utf-8")
    book = tmp_path / "calais"
    shutil.copytree(example_ledger, book)
    target = book / "pledges.toml"
    original = target.read_bytes()
    rng = random.Random(8)
    # a killed add cannot remove its temporary copy: keep those in tmp_path
    (tmp_path / "tmp").mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO),
               TMPDIR=str(tmp_path / "tmp"))
    total = 0
    for _ in range(3):
        start_bytes = target.read_bytes()
        proc = subprocess.Popen([sys.executable, str(helper), mode, str(book)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        # into the loop of writes (after the first, however slow start-up is), then
        # a random moment of it
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            assert sel.select(timeout=120), "the helper wrote nothing in 120 s"
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, err.decode()
        done = len((first + out).split())
        total += done
        # the helper restarts its ids at kill-0 each round: restore the start state
        now = target.read_bytes()
        base = _versions(start_bytes, done + 1, mode)
        assert now in (base[done], base[done + 1] if done + 1 < len(base) else base[done]), \
            f"after {done} adds the file is neither version {done} nor {done + 1}"
        checked = ledger.read_book(book, use_cache=False)
        entries, problems = checked.entries, checked.problems
        assert not [p for p in problems if p.severity == "error"]
        assert [e.id for e in entries if e.id.startswith("kill-")] == \
            [f"kill-{i}" for i in range(now.count(b'id = "kill-'))]
        target.write_bytes(original)
    assert total > 0, "the helper never completed a write: the kills tested nothing"
    # killed runs may leave hidden temporary files, which the loader never reads
    for tmp in book.glob(".*.tmp"):
        assert tmp.name.startswith(".pledges.toml.")
