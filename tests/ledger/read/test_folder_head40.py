"""ledger.read.folder tells a journal file from other TOML by its head: the
folders above an output (a home, /tmp) may hold many big TOML files, and
no write parses them whole to tell whether it sits in a ledger folder."""
from __future__ import annotations

from pathlib import Path

import pytest

import ledger.read.journal as journal
from ledger.read.folder import ledger_folder_above

HEAD_BYTES = 1 << 16     # ledger.read.folder.HEAD_BYTES
ENTRY = '[[entry]]\nid = "e{n}"\ndate = 2024-01-01\nfunder = "UK"\npurpose = "Harbour"\n' \
        'amount = "{n}"\ncurrency = "GBP"\n\n'


def _journal(path: Path, extra: str = "") -> Path:
    n = 1 + 2 * HEAD_BYTES // len(ENTRY)     # twice the head
    path.write_text(extra + "".join(ENTRY.format(n=k) for k in range(n)), encoding="utf-8")
    return path


@pytest.fixture
def parsed(monkeypatch) -> list[Path]:
    """The files parsed whole (``parse_file``, under every journal test)."""
    seen: list[Path] = []
    real = journal.parse_file

    def spy(f, inside=None):
        seen.append(Path(f))
        return real(f, inside)

    monkeypatch.setattr(journal, "parse_file", spy)
    return seen


def test_big_journals_above_an_output_are_not_parsed_whole(tmp_path, parsed):
    big = tmp_path / "big"
    (big / "o2").mkdir(parents=True)
    for k in range(3):
        _journal(big / f"out{k}.toml")
    assert ledger_folder_above(big / "o2" / "new.toml") == big
    one = tmp_path / "one"
    (one / "o2").mkdir(parents=True)
    _journal(one / "out.toml")         # a one-file ledger: its folder is no ledger folder
    assert ledger_folder_above(one / "o2" / "new.toml") is None
    assert parsed == []


def test_the_head_tells_as_the_whole_parse_does(tmp_path, parsed):
    from ledger.read.folder import is_journal_head, is_ledger_folder

    cfg = tmp_path / "tool.toml"       # a big config: not a journal
    cfg.write_text("[tool.x]\n" + "".join(f'k{k} = "{k}"\n' for k in range(HEAD_BYTES // 8)),
                   encoding="utf-8")
    assert not is_journal_head(cfg) and journal.journal_parse(cfg) is None
    keys = tmp_path / "keys.toml"      # top-level keys first: not a journal
    _journal(keys, 'name = "x"\n')
    assert not is_journal_head(keys) and journal.journal_parse(keys) is None
    # a header-like line in a multi-line string at the head's end: an earlier cut
    tricky = tmp_path / "tricky.toml"
    body = ENTRY.format(n=0) + 'notes = """\n' + "[see]\n" * (HEAD_BYTES // 3) + '"""\n'
    tricky.write_text(body, encoding="utf-8")
    assert is_journal_head(tricky) and journal.journal_parse(tricky) is not None
    one_table = tmp_path / "one_table.toml"    # no whole table in the head: the first's name
    one_table.write_text("[[entry]]\n" + "".join(f'k{k} = "{k}"\n' for k in range(HEAD_BYTES // 8)),
                         encoding="utf-8")
    assert is_journal_head(one_table)
    broken = _journal(tmp_path / "broken.toml", "[[entry]]\nid = \"typo\n")
    assert is_journal_head(broken)     # a syntax error counts, as journal_parse counts it
    parsed.clear()
    d = tmp_path / "d"
    d.mkdir()
    cfg.rename(d / "tool.toml")
    keys.rename(d / "keys.toml")
    _journal(d / "a.toml")
    assert not is_ledger_folder(d)     # one journal and two big configs
    _journal(d / "b.toml")
    assert is_ledger_folder(d)
    assert parsed == []
