"""``sources remove --force`` of a document declared in one file and cited
from another, killed after its first rename: the citations go first, so the
ledger left is one ``check`` passes (never a citation of an undeclared
document)."""
from __future__ import annotations

import shutil
import tomllib

from tests.ledger_tool.test_import_kill_order48 import _ACTIVITY, _cli


def test_a_killed_forced_remove_leaves_a_ledger_check_passes(tmp_path):
    led = tmp_path / "L"
    assert _cli("init", led).returncode == 0
    (tmp_path / "a1.xml").write_text(_ACTIVITY.format(ident="GB-1-100", value=1000), "utf-8")
    (tmp_path / "a2.xml").write_text(_ACTIVITY.format(ident="GB-1-100", value=1200), "utf-8")
    r = _cli("import", "--from", "iati", tmp_path / "a1.xml", "-o", led / "first.toml")
    assert r.returncode == 0, r.stderr
    # the update of first.toml's entry cites a2.xml, declared in iati.toml
    r = _cli("import", "--from", "iati", tmp_path / "a2.xml", "-o", led / "iati.toml")
    assert r.returncode == 0, r.stderr
    declared = tomllib.loads((led / "iati.toml").read_text("utf-8"))["document"]
    [doc] = [d["id"] for d in declared if "a2" in d["id"] or "a2" in d.get("path", "")]
    assert doc in (led / "first.toml").read_text("utf-8")
    base = tmp_path / "base"
    shutil.copytree(led, base)
    for n in range(1, 40):     # killed after each rename in turn (caches' ones too)
        shutil.rmtree(led)
        shutil.copytree(base, led)
        r = _cli("sources", "remove", doc, "--force", "--ledger", led, kill_after=n)
        c = _cli("check", led)
        assert c.returncode == 0 and "unknown document" not in c.stderr, (n, c.stderr)
        if r.returncode == 0:
            break
        assert r.returncode == 137, r.stderr
    else:
        raise AssertionError("the removal never finished")
    assert doc not in (led / "first.toml").read_text("utf-8")
