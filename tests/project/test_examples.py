"""The bundled examples on any clone: examples/harbour (invented documents in its
own archive) checks and audits clean, its documented tamper step fails the
audit, and the README's newcomer workflow runs as written."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from tests.conftest import REPO


HARBOUR = REPO / "examples" / "harbour"


def test_harbour_checks_and_audits_clean(run_cli):
    code, out, err = run_cli("check", HARBOUR)
    assert code == 0 and "0 error(s), 0 warning(s)" in out + err
    code, out, err = run_cli("audit", HARBOUR, "--format", "json")
    data = json.loads(out)
    assert code == 0, data["findings"]
    assert data["summary"]["verified"] == 5
    assert not [f for f in data["findings"] if f["severity"] in ("error", "warning")]


def test_harbour_documents_say_they_are_invented():
    for f in (HARBOUR / "sources").iterdir():
        assert "invented" in f.read_text("utf-8"), f


def test_harbours_page_offers_no_menu_or_footer_money(run_cli):
    code, out, _ = run_cli("extract", HARBOUR / "sources" / "porthwen-wall-2024.html",
                           "--format", "json")
    phrases = [m["phrase"] for m in json.loads(out)]
    assert code == 0 and phrases == ["£12 million over three years", "up to £400,000 a year",
                                     "£1.5 million"]


def _tamper_step() -> tuple[str, str, str]:
    """(file, old, new) of the sed line in examples/harbour/README.md."""
    text = (HARBOUR / "README.md").read_text("utf-8")
    m = re.search(r"sed -i 's/([^/]+)/([^/]+)/' \\\n\s+/tmp/harbour/(\S+)", text)
    assert m, "the tamper step is documented in examples/harbour/README.md"
    return m.group(3), m.group(1), m.group(2)


def test_the_documented_tamper_step_fails_the_audit(run_cli, tmp_path):
    copy = tmp_path / "harbour"
    shutil.copytree(HARBOUR, copy)
    rel, old, new = _tamper_step()
    f = copy / rel
    assert old in f.read_text("utf-8")
    f.write_text(f.read_text("utf-8").replace(old, new), encoding="utf-8")
    code, out, err = run_cli("audit", copy, "--format", "json")
    codes = {(x["code"], x["doc"]) for x in json.loads(out)["findings"]
             if x["severity"] == "error"}
    assert code == 1 and "audit FAILED" in err
    assert {("rendering-changed", "porthwen-wall-2024"),
            ("quote-not-found", "porthwen-wall-2024")} <= codes
    # the original edited instead: its hash no longer matches
    shutil.rmtree(copy)
    shutil.copytree(HARBOUR, copy)
    page = copy / "sources" / "porthwen-wall-2024.html"
    page.write_text(page.read_text("utf-8").replace("£12 million", "£21 million"), "utf-8")
    code, out, _ = run_cli("audit", copy, "--format", "json")
    assert code == 1 and "hash-mismatch" in {x["code"] for x in json.loads(out)["findings"]}


# ------------------------------------------------ the README, run as written
def readme_workflow() -> list[str]:
    """The shell lines of the README's fenced sh block that starts a ledger
    with `init` and audits it: continuation lines joined, comments kept (the
    shell drops them)."""
    text = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    flow = [b for b in blocks if b.startswith("$lt init ") and "$lt audit" in b]
    assert len(flow) == 1, "one README block holds the newcomer's workflow"
    return [ln for ln in flow[0].replace("\\\n", " ").splitlines() if ln.strip()]


def test_the_readmes_workflow_runs_as_written_and_audits_clean(tmp_path):
    lines = readme_workflow()
    assert [ln.split()[1] for ln in lines if ln.startswith("$lt")][:1] == ["init"]
    # a clone's files the workflow reads, nothing else
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    lt = f"{sys.executable} -m ledger_tool"
    env = {**os.environ, "PYTHONPATH": str(REPO), "LEDGER_TOOL_CACHE": "off"}
    script = "set -eu\nlt='" + lt + "'\n" + "\n".join(
        f"echo '+ {n}' >&2\n{ln}" for n, ln in enumerate(lines))
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "audit passed" in done.stderr and "0 error(s)" in done.stderr
    assert "Traceback" not in done.stderr
