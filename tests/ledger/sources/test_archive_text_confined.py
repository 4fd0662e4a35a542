"""check confines a document's ``text`` (its rendering) to the source archive
as it does its ``path``: both are read from there."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, why", [
    ("../../secret.txt", "leaves the source archive ('..')"),
    ("/etc/passwd", "is absolute"),
])
def test_check_refuses_a_rendering_outside_the_archive(tmp_path, run_cli, text, why):
    book, doc = tmp_path / "book", tmp_path / "d.txt"
    doc.write_text("The Fund gives £5m.\n", encoding="utf-8")
    assert run_cli("init", book)[0] == 0
    assert run_cli("sources", "add", doc, "--ledger", book, "--id", "d", "--title", "T",
                   "--publisher", "P", "--published", "2020-01-01")[0] == 0
    assert run_cli("check", book)[0] == 0
    sources = book / "sources.toml"
    lines = sources.read_text("utf-8").splitlines()
    at = lines.index('path = "d.txt"')
    lines.insert(at + 1, f'text = "{text}"')
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli("check", book)
    (line,) = [x for x in err.splitlines() if "error:" in x]
    assert code == 1 and line.split(": ")[0].endswith("sources.toml:5"), err
    assert f"document 'd': text '{text}' {why}" in line
