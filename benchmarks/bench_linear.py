"""Linear time: each input reader run on an input, then on one twice as big.

    .venv/bin/python benchmarks/bench_linear.py [--base N] [--steps 3] [--only NAME…]

For each reader, the input is generated at sizes N, 2N, 4N… and the whole
command is run as a fresh process (``python -m ledger_tool …``); the script
prints the wall time of each size and the ratio to the size before.  A
linear reader shows ratios near 2 (a process's start-up pulls small inputs
below 2); a quadratic one near 4.

| name | command | N counts |
| --- | --- | --- |
| extract-text | ``extract FILE.txt`` | money mentions in one long paragraph (no sentence or clause end) |
| extract-html | ``extract FILE.html`` | paragraphs of a web page, two mentions each |
| pdf | ``extract FILE.pdf`` (rendering through ``ledger/sources/render.py``) | pages sharing one content stream (20 lines) |
| spreadsheet | ``import FILE.csv -o NEW -n`` | rows |
| iati | ``import --from iati FILE.xml -o NEW -n`` | activities (``bench_iati.generate``) |
| fts | ``import --from fts FILE.json -o NEW -n`` | flows (the test fixture's, renumbered) |

Nothing here is a test: it prints figures (benchmarks/README.md keeps them).
"""
from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def extract_text(folder: Path, n: int) -> list[str]:
    f = folder / "mentions.txt"
    f.write_text(" ".join(f"£{i % 97 + 1}m" for i in range(n)) + "\n", encoding="utf-8")
    return ["extract", str(f)]


def extract_html(folder: Path, n: int) -> list[str]:
    f = folder / "page.html"
    body = "".join(f"<p>In 2024 the fund gave £{i % 97 + 1}m to project {i}, and "
                   f"€{i % 13 + 2} million over three years.</p>\n" for i in range(n))
    f.write_text(f"<!DOCTYPE html><html><head><title>t</title></head><body><main>{body}"
                 f"</main></body></html>", encoding="utf-8")
    return ["extract", str(f)]


def pdf(folder: Path, n: int) -> list[str]:
    f = folder / "report.pdf"
    f.write_bytes(_module("generate").shared_stream_pdf(n, 20))
    return ["extract", str(f)]


def spreadsheet(folder: Path, n: int) -> list[str]:
    f = folder / "pledges.csv"
    f.write_text("id,date,funder,purpose,amount,currency,period\n" + "".join(
        f"e{i},2015-{i % 12 + 1:02d}-01,Funder {i % 20},Purpose {i % 30},{1000 + i},GBP,"
        f"over {i % 3 + 1} years\n" for i in range(n)), encoding="utf-8")
    return ["import", str(f), "-o", str(folder / "out.toml"), "-n"]


def iati(folder: Path, n: int) -> list[str]:
    f = folder / "activities.xml"
    _module("bench_iati").generate(f, 0, activities=n)
    return ["import", "--from", "iati", str(f), "-o", str(folder / "out.toml"), "-n"]


def fts(folder: Path, n: int) -> list[str]:
    data = json.loads((ROOT / "tests" / "fixtures" / "fts" / "flows.json").read_text("utf-8"))
    flows = data["data"]["flows"]
    out = []
    for i in range(n):
        f = copy.deepcopy(flows[i % len(flows)])
        f["id"] = str(900000 + i)
        out.append(f)
    data["data"]["flows"] = out
    path = folder / "flows.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return ["import", "--from", "fts", str(path), "-o", str(folder / "out.toml"), "-n"]


READERS = {"extract-text": (extract_text, 20_000), "extract-html": (extract_html, 5_000),
           "pdf": (pdf, 100), "spreadsheet": (spreadsheet, 5_000), "iati": (iati, 2_000),
           "fts": (fts, 2_000)}


def run(args: list[str]) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LEDGER_TOOL_CACHE": "off"}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ledger_tool", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    return time.perf_counter() - t, done.returncode


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=3, help="sizes N, 2N, … (default 3)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    ap.add_argument("--only", nargs="*", choices=sorted(READERS), help="these readers only")
    a = ap.parse_args(argv)
    print(f"{'reader':<14} {'size':>9} {'wall s':>8} {'ratio':>6}  exit")
    for name in a.only or READERS:
        make, base = READERS[name]
        before = None
        for k in range(a.steps):
            n = int(base * a.scale) * 2 ** k
            with tempfile.TemporaryDirectory(prefix="bench-linear-") as tmp:
                wall, code = run(make(Path(tmp), n))
            ratio = f"{wall / before:6.2f}" if before else "      "
            print(f"{name:<14} {n:>9,} {wall:8.2f} {ratio}  {code}", flush=True)
            before = wall
    return 0


if __name__ == "__main__":
    sys.exit(main())
