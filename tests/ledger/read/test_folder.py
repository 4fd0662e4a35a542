"""ledger.read.folder: a ledger folder is what ``check`` reads as one ledger
(a ledger.toml, or a journal file in it and one more in the reader's
listing), never a folder above ledgers, nor a one-file ledger's folder."""
from __future__ import annotations

from ledger.read.folder import is_ledger_folder, ledger_folder_above

JOURNAL = '[[entry]]\nid = "a"\n'


def test_a_ledger_folder_holds_ledger_toml_or_journals(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "one.toml").write_text(JOURNAL)
    (d / "pyproject.toml").write_text("[tool.x]\n")
    (d / ".hidden.toml").write_text(JOURNAL)
    assert not is_ledger_folder(d)         # one journal: a one-file ledger's folder
    (d / "sources.toml").write_text('[[document]]\nid = "x"\n')
    assert is_ledger_folder(d)             # a folder of journals
    assert not is_ledger_folder(d, besides=d / "sources.toml")
    assert ledger_folder_above(d / "sources" / "x.txt") == d
    assert ledger_folder_above(d / "sources.toml") is None    # itself not counted
    e = tmp_path / "e"
    e.mkdir()
    (e / "ledger.toml").write_text("")
    assert is_ledger_folder(e) and not is_ledger_folder(e / "ledger.toml")


def test_journals_in_subfolders_make_a_ledger_folder(tmp_path):
    d = tmp_path / "d"
    (d / "entries").mkdir(parents=True)
    (d / "sources.toml").write_text('[[document]]\nid = "x"\n')
    (d / "entries" / "2024.toml").write_text(JOURNAL)
    assert is_ledger_folder(d)
    assert ledger_folder_above(d / "sources" / "x.txt") == d
    (d / "entries" / "2024.toml").rename(d / "entries" / "2024.txt")
    (d / "sources").mkdir()
    (d / "sources" / "old.toml").write_text(JOURNAL)   # the archive is not read
    assert not is_ledger_folder(d)


def test_a_folder_above_ledgers_is_not_one(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ledger.toml").write_text("")
        (tmp_path / name / "x.toml").write_text(JOURNAL)
        (tmp_path / name / "y.toml").write_text(JOURNAL)
    assert not is_ledger_folder(tmp_path)
    assert ledger_folder_above(tmp_path / "c" / "out.toml") is None
    (tmp_path / "one.toml").write_text(JOURNAL)   # a one-file ledger beside them
    assert not is_ledger_folder(tmp_path)


def test_files_the_command_wrote_are_not_counted(tmp_path):
    (tmp_path / "one.toml").write_text(JOURNAL)
    (tmp_path / "draft.toml").write_text("# draft\n" + JOURNAL)
    assert is_ledger_folder(tmp_path)
    assert not is_ledger_folder(tmp_path, ours=lambda p: p.name.startswith("draft"))


def test_a_broken_or_oversized_journal_counts(tmp_path, monkeypatch):
    (tmp_path / "one.toml").write_text(JOURNAL)
    (tmp_path / "two.toml").write_text('[[entry]]\nid = "typo\n')
    assert is_ledger_folder(tmp_path)
    (tmp_path / "two.toml").write_text(JOURNAL * 200)
    monkeypatch.setenv("LEDGER_TOOL_MAX_FILE_SIZE", "1K")
    assert is_ledger_folder(tmp_path)
