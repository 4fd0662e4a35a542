"""Extraction quality on the team's corpus: recall, precision and field
accuracy per language, the held-back quarter reported on its own.

    python benchmarks/extract.py [--corpus tests/corpus] [--show-errors] [--json]

Runs ``ledger-tool extract --format csv`` as a process over each part of the
corpus (what a user runs) and compares its rows with the hand-made gold CSVs
next to the documents (tests/corpus/README.md says how they were made).  A
found mention matches a gold one when their phrases overlap in the document;
fields are compared on the matched pairs.  The held-back part was written,
with its gold, before the last grammar change and is never used to tune it.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("amount", "currency", "qualifier", "per", "over_years", "fiscal_year", "restated")
EXTRA = ("start",)        # reported, not part of the targets
TARGETS = {"recall": 0.98, "precision": 0.98, "fields": 0.95}


def _offset(text: str, line: int, column: int) -> int:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts[line - 1] + column - 1


def _spans(rows, texts):
    out = []
    for r in rows:
        text = texts[r["doc"]]
        a = _offset(text, int(r["line"]), int(r["column"]))
        out.append((r["doc"], a, a + len(r["phrase"]), r))
    return out


def _amount(r) -> str:
    return f"{r['amount']}..{r.get('upper', '')}"


def _field(r, name):
    if name == "amount":
        return _amount(r)
    if name == "restated":
        return ";".join(sorted(filter(None, r.get("restated", "").split(";"))))
    return r.get(name, "") or ""


def run_extract(docs: list[Path]) -> tuple[list[dict], float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ledger_tool", "extract", "--format", "csv",
                           *map(str, docs)], capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0,):
        sys.exit(f"extract failed ({proc.returncode}): {proc.stderr.strip()}")
    return list(csv.DictReader(io.StringIO(proc.stdout))), elapsed


def score(folder: Path) -> dict:
    docs = sorted(folder.glob("*.txt"))
    texts = {d.name: d.read_text(encoding="utf-8") for d in docs}
    gold = []
    for d in docs:
        with open(d.with_suffix(".csv"), newline="", encoding="utf-8") as fh:
            gold.extend(csv.DictReader(fh))
    found, elapsed = run_extract(docs)
    g, f = _spans(gold, texts), _spans(found, texts)
    used: set[int] = set()
    pairs, missed = [], []
    for doc, a, b, gr in g:
        hit = next((i for i, (d2, a2, b2, _) in enumerate(f)
                    if i not in used and d2 == doc and a2 < b and a < b2), None)
        if hit is None:
            missed.append(gr)
        else:
            used.add(hit)
            pairs.append((gr, f[hit][3]))
    extra = [f[i][3] for i in range(len(f)) if i not in used]
    acc = {}
    wrong = []
    for name in FIELDS + EXTRA:
        ok = sum(_field(a, name) == _field(b, name) for a, b in pairs)
        acc[name] = ok / len(pairs) if pairs else 0.0
        wrong += [(name, a, b) for a, b in pairs if _field(a, name) != _field(b, name)]
    return {
        "documents": len(docs), "gold": len(gold), "found": len(found), "matched": len(pairs),
        "recall": len(pairs) / len(gold) if gold else 1.0,
        "precision": len(pairs) / len(found) if found else 1.0,
        "fields": acc, "fields_min": min(acc[n] for n in FIELDS) if pairs else 0.0,
        "all_fields_right": (sum(all(_field(a, n) == _field(b, n) for n in FIELDS)
                                 for a, b in pairs) / len(pairs)) if pairs else 0.0,
        "seconds": round(elapsed, 2),
        "_missed": missed, "_extra": extra, "_wrong": wrong,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT / "tests" / "corpus"))
    ap.add_argument("--show-errors", metavar="PART", choices=["tuned", "heldout", "fresh"],
                    help="list the misses, extras and wrong fields of one part (developers "
                         "look at 'tuned' only: the held-back part is not for tuning)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    results = {}
    for part in ("tuned", "heldout", "fresh"):
        for lang in ("en", "fr"):
            folder = corpus / part / lang
            if folder.is_dir():
                results[(part, lang)] = score(folder)
    if args.json:
        print(json.dumps({f"{p}/{lang}": {k: v for k, v in r.items() if not k.startswith("_")}
                          for (p, lang), r in results.items()}, indent=2))
        return 0
    head = ("part", "lang", "docs", "gold", "found", "recall", "precision",
            *FIELDS, *EXTRA, "min field", "all right", "s")
    print("  ".join(head))
    for (part, lang), r in results.items():
        cells = [part, lang, str(r["documents"]), str(r["gold"]), str(r["found"]),
                 f"{r['recall']:.3f}", f"{r['precision']:.3f}",
                 *(f"{r['fields'][n]:.3f}" for n in FIELDS + EXTRA),
                 f"{r['fields_min']:.3f}", f"{r['all_fields_right']:.3f}", f"{r['seconds']}"]
        print("  ".join(cells))
    print()
    for (part, lang), r in results.items():
        if part == "tuned":
            continue
        ok = (r["recall"] >= TARGETS["recall"] and r["precision"] >= TARGETS["precision"]
              and r["fields_min"] >= TARGETS["fields"])
        name = "held-back" if part == "heldout" else "fresh (written after tuning)"
        print(f"{name} {lang}: recall {r['recall']:.3f}, precision {r['precision']:.3f}, "
              f"lowest field {r['fields_min']:.3f} -> targets (0.98, 0.98, 0.95) "
              f"{'met' if ok else 'NOT met'}")
    if args.show_errors:
        for (part, lang), r in results.items():
            if part != args.show_errors:
                continue
            print(f"\n== {part}/{lang}")
            for m in r["_missed"]:
                print(f"  missed  {m['doc']}:{m['line']}:{m['column']} {m['phrase']!r}")
            for m in r["_extra"]:
                print(f"  extra   {m['doc']}:{m['line']}:{m['column']} {m['phrase']!r}")
            for name, a, b in r["_wrong"]:
                print(f"  {name:<11} {a['doc']}:{a['line']} {a['phrase']!r}: gold "
                      f"{_field(a, name)!r}, got {_field(b, name)!r} ({b['phrase']!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
