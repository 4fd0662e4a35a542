"""``sources remove --force`` removes a document's citations in every form
a journal writes them (``cite`` writes inline arrays), keeping the other
bytes of the file."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO

WALL, MINUTES = "porthwen-wall-2024", "wenlock-minutes-2024"

PLEDGES = f"""\
# top comment
[[entry]]
id = "a"   # trailing comment
date = 2024-03-05
funder = "UK:D"
purpose = "H:W"
amount = "£12 million"
source = [ {{ doc = "{WALL}", quote = "£12 million over three years" }}, {{doc = "{MINUTES}", quote = "£12 million"}} ]
# comment between

[[entry]]
id = "b"
date = 2024-03-05
funder = "UK:D"
purpose = "H:W2"
amount = "£1.5 million"
notes = \"\"\"multi
[[entry.source]]
line\"\"\"
[[entry.source]]
doc = "{MINUTES}"
quote = "£1.5 million"

[[entry]]
id = "c"
date = 2024-03-06
funder = "UK:D"
purpose = "H:W3"
amount = "£2 million"
source = {{ doc = "{MINUTES}", quote = "£2 million" }}

[[entry]]
id = "d"
date = 2024-03-07
funder = "UK:D"
purpose = "H:W4"
amount = "£3 million"
source = [{{doc = "{MINUTES}", quote = "£3 million"}}]
# trailing comment at end
"""


@pytest.fixture
def ledger(tmp_path) -> Path:
    ledger = tmp_path / "harbour"
    shutil.copytree(REPO / "examples" / "harbour", ledger)
    (ledger / "pledges.toml").write_text(PLEDGES, "utf-8")
    return ledger


def _citations(path: Path) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for e in tomllib.loads(path.read_text("utf-8"))["entry"]:
        src = e.get("source", [])
        src = [src] if isinstance(src, dict) else src
        out[e["id"]] = [(c["doc"], c["quote"]) for c in src]
    return out


def _without(cites, doc):
    return {k: [c for c in v if c[0] != doc] for k, v in cites.items()}


@pytest.mark.parametrize("doc", [MINUTES, WALL])
def test_force_removes_inline_and_table_citations(ledger, run_cli, doc):
    pledges = ledger / "pledges.toml"
    before = _citations(pledges)
    code, _, err = run_cli("sources", "remove", doc, "--ledger", ledger, "--force")
    assert code == 0, err
    assert "Traceback" not in err
    assert _citations(pledges) == _without(before, doc)
    documents = tomllib.loads((ledger / "sources.toml").read_text("utf-8"))["document"]
    assert doc not in {d["id"] for d in documents}
    # the other bytes are kept: every line that does not name the document
    after = pledges.read_text("utf-8")
    kept = [ln for ln in PLEDGES.splitlines()
            if doc not in ln and ln.strip() not in ("[[entry.source]]", 'quote = "£1.5 million"')]
    assert [ln for ln in after.splitlines() if ln in kept] == kept
    if doc == MINUTES:     # the fake header inside notes stays, the real table goes
        assert after.count("[[entry.source]]") == 1
        assert 'notes = """multi\n[[entry.source]]\nline"""' in after
    code, out, err = run_cli("check", ledger)
    assert code == 0, err


def test_without_force_still_refused(ledger, run_cli):
    before = {p.name: p.read_bytes() for p in ledger.glob("*.toml")}
    code, _, err = run_cli("sources", "remove", MINUTES, "--ledger", ledger)
    assert code == 1
    assert "--force" in err and "a, b, c, d" in err
    assert {p.name: p.read_bytes() for p in ledger.glob("*.toml")} == before
