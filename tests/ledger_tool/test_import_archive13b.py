"""An IATI re-import compares its copy with the ledger's archived copy only
when that copy is what the ledger recorded: inside the archive, a regular
file, of the recorded SHA-256.  Any other (missing, changed, or a path
leading out of the archive) is not trusted, and said in one line: the
import's statement then replaces the ledger's.  Figures by hand: the
ledger holds the 2024-06-01 statement of 2,000 GBP; a 2024-09-01 file
gives 3,000, a 2024-01-01 file 1,000."""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import ledger


def _file(path: Path, stamp: str, value: str, activity: str = "X") -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
        f'<iati-activity default-currency="GBP" last-updated-datetime="{stamp}">'
        f'<iati-identifier>XM-DAC-1-{activity}</iati-identifier><reporting-org ref="XM-DAC-1">'
        '<narrative>Donor</narrative></reporting-org><transaction ref="1">'
        '<transaction-type code="2"/><transaction-date iso-date="2020-01-01"/>'
        f'<value>{value}</value></transaction></iati-activity>\n</iati-activities>\n',
        encoding="utf-8")
    return path


def _book(tmp_path: Path, run_cli) -> tuple[Path, Path, Path]:
    """The ledger after importing the 2,000 GBP statement: (folder, the
    journal file declaring the document, the archived copy)."""
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati",
                           _file(tmp_path / "mid.xml", "2024-06-01T00:00:00Z", "2000"),
                           "-o", book)
    assert code == 0, err
    declared = [(p, re.search(r'^path = "(.*)"$', p.read_text("utf-8"), re.M))
                for p in sorted(book.glob("*.toml"))]
    journal, found = next((p, m) for p, m in declared if m)
    return book, journal, book / "sources" / found.group(1)


def _amounts(book: Path) -> list[Decimal]:
    return [e.amount for e in ledger.load(book).entries]


def test_a_missing_copy_is_said(tmp_path, run_cli):
    book, _, copy = _book(tmp_path, run_cli)
    copy.unlink()
    _, _, err = run_cli("import", "--from", "iati",
                        _file(tmp_path / "old.xml", "2024-01-01T00:00:00Z", "1000"), "-o", book)
    said = [line for line in err.splitlines() if "archived copy is not used" in line]
    assert len(said) == 1 and "no such file" in said[0] and "1 activity" in said[0], err
    assert _amounts(book) == [Decimal(1000)]


def test_a_changed_copy_is_not_trusted(tmp_path, run_cli):
    book, _, copy = _book(tmp_path, run_cli)
    _file(copy, "2099-01-01T00:00:00Z", "2000")       # now claims to be the newest
    _, _, err = run_cli("import", "--from", "iati",
                        _file(tmp_path / "new.xml", "2024-09-01T00:00:00Z", "3000"), "-o", book)
    assert "SHA-256" in err and "archived copy is not used" in err, err
    assert _amounts(book) == [Decimal(3000)]


def test_a_path_out_of_the_archive_is_not_read(tmp_path, run_cli):
    book, journal, _ = _book(tmp_path, run_cli)
    evil = _file(tmp_path / "evil.xml", "2099-01-01T00:00:00Z", "2000")
    digest = hashlib.sha256(evil.read_bytes()).hexdigest()
    text = journal.read_text("utf-8")
    kept = re.findall(r'^(?:path|sha256) = ".*"$', text, flags=re.M)
    text = re.sub(r'^path = ".*"$', 'path = "../../evil.xml"', text, flags=re.M)
    journal.write_text(re.sub(r'^sha256 = ".*"$', f'sha256 = "{digest}"', text, flags=re.M),
                       encoding="utf-8")
    _, _, err = run_cli("import", "--from", "iati",
                        _file(tmp_path / "new.xml", "2024-09-01T00:00:00Z", "3000"), "-o", book)
    assert "outside" in err and "archived copy is not used" in err, err
    # the ledger's own check refuses the path: put it back to read the figures
    text = journal.read_text("utf-8")
    text = re.sub(r'^path = ".*"$', kept[0], text, flags=re.M)
    journal.write_text(re.sub(r'^sha256 = ".*"$', kept[1], text, flags=re.M), encoding="utf-8")
    assert _amounts(book) == [Decimal(3000)]


def test_a_whole_archive_gone_is_said_in_a_few_lines(tmp_path, run_cli):
    """Seven archived files missing: five named, one line for the other two."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(7):
        _file(folder / f"a{n}.xml", "2024-06-01T00:00:00Z", "2000", activity=f"A{n}")
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", folder, "-o", book)
    assert code == 0, err
    for f in (book / "sources").glob("*.xml"):
        f.unlink()
    _, _, err = run_cli("import", "--from", "iati",
                        _file(tmp_path / "old.xml", "2024-01-01T00:00:00Z", "1000"), "-o", book)
    said = [line for line in err.splitlines() if "archived copy is not used" in line]
    assert len(said) == 5, err
    assert "and 2 more archived IATI file(s) not used, of 2 activities" in err, err
