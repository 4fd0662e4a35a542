"""IATI import at size: wall time and peak memory, each in its own process.

    .venv/bin/python benchmarks/bench_iati.py [--mb 10 100] [--work DIR]

Generates IATI 2.03 activity files of about the given sizes (most of the
bytes in activity descriptions, as in published files; two transactions per
activity), then runs, each in a fresh process so that ``ru_maxrss`` is its
own:

| stage | what |
| --- | --- |
| read | ``ledger.imports.iati.read_iati`` (the streaming reader alone) |
| cli-import | ``ledger-tool import --from iati FILE -o NEW`` end to end (read, validate, archive, write) |
| peer-lxml-tree | ``lxml.etree.parse`` of the whole file: what a non-streaming reader holds |

``--activities N`` adds a file of N short activities (2N transactions), where
the time goes to validating and writing the entries rather than to parsing;
``--items N`` a file of one activity with a commitment, N budgets and N
disbursements, where it goes to counting the activity once (each item
linked to what counts it); ``--reversals N`` one activity of N
disbursements, every other one a reversal, where it goes to netting the
reversals; ``--planned N`` one activity of N budgets and N planned
disbursements, where it goes to finding the budget each one phases.  Each
stage's wall time, CPU seconds (user and system, of the whole process) and
peak memory are printed, after the machine's load average.

Streaming keeps the reader's peak memory flat as the file grows; the full
tree grows with it.  Nothing here is a test: it prints figures.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(path: Path, megabytes: int, activities: int | None = None) -> int:
    """An IATI file of about ``megabytes`` MB (or of ``activities`` short
    activities); returns the number of activities."""
    filler = ("Programme description text with the activity's objectives, results and "
              "context, repeated to the size of a long published description. ") * 1400
    if activities:
        filler = "A short description."
    per = 1400 + len(filler)
    n = activities or max(1, megabytes * 1_000_000 // per)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for k in range(n):
            fh.write(f"""<iati-activity default-currency="GBP">
 <iati-identifier>XM-BENCH-{k:07d}</iati-identifier>
 <reporting-org ref="XM-BENCH"><narrative>Bench donor</narrative></reporting-org>
 <description><narrative>{filler}</narrative></description>
 <recipient-country code="KE" percentage="100"/>
 <sector vocabulary="1" code="12220" percentage="100"><narrative>Basic health care</narrative></sector>
 <transaction ref="C"><transaction-type code="2"/><transaction-date iso-date="2016-01-{1 + k % 28:02d}"/>
  <value value-date="2016-01-{1 + k % 28:02d}">{1000000 + k}</value><provider-org ref="XM-BENCH"/></transaction>
 <transaction ref="D"><transaction-type code="3"/><transaction-date iso-date="2016-06-{1 + k % 28:02d}"/>
  <value value-date="2016-06-{1 + k % 28:02d}">{500000 + k}</value><provider-org ref="XM-BENCH"/></transaction>
</iati-activity>
""")
        fh.write("</iati-activities>\n")
    return n


def _one_activity_head(name: str) -> str:
    """The opening of a one-activity file: its identifier XM-BENCH-NAME and
    a commitment of 10^12 USD the items below are linked to."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
            '<iati-activity default-currency="USD">\n'
            f' <iati-identifier>XM-BENCH-{name}</iati-identifier>\n'
            ' <participating-org ref="XM-BENCH" role="1"><narrative>Bench donor</narrative>'
            '</participating-org>\n'
            ' <transaction><transaction-type code="2"/><transaction-date iso-date="2016-01-01"/>'
            f'<value>{10 ** 12}</value></transaction>\n')


_ONE_ACTIVITY_TAIL = "</iati-activity>\n</iati-activities>\n"


def generate_large_activity(path: Path, items: int) -> int:
    """An IATI file of one activity: a commitment, ``items`` budgets (one a
    day) and ``items`` disbursements, each linked to the commitment;
    returns 1 (its activities)."""
    day = 86_400
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(_one_activity_head("LARGE"))
        for k in range(items):
            d = time.strftime("%Y-%m-%d", time.gmtime(1_451_606_400 + k * day))   # from 2016-01-01
            fh.write(f' <budget type="1" status="1"><period-start iso-date="{d}"/><period-end '
                     f'iso-date="{d}"/><value value-date="{d}">1000</value></budget>\n')
            fh.write(f' <transaction><transaction-type code="3"/><transaction-date iso-date="{d}"/>'
                     f'<value>{k + 1}</value></transaction>\n')
        fh.write(_ONE_ACTIVITY_TAIL)
    return 1


def generate_reversals(path: Path, items: int) -> int:
    """An IATI file of one activity: a commitment and ``items`` disbursements
    of which every other one is a reversal (a negative value): half of those
    equal an earlier disbursement, the rest do not and are netted across
    several; returns 1 (its activities)."""
    day = 86_400
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(_one_activity_head("REVERSALS"))
        for k in range(items):
            d = time.strftime("%Y-%m-%d", time.gmtime(1_451_606_400 + k // 4 * day))
            value = (-(100 + (k - 1) % 50) if k % 4 == 1 else -(37 + k % 13) if k % 4 == 3
                     else 100 + k % 50)
            fh.write(f' <transaction><transaction-type code="3"/><transaction-date iso-date="{d}"/>'
                     f'<value>{value}</value></transaction>\n')
        fh.write(_ONE_ACTIVITY_TAIL)
    return 1


def generate_planned(path: Path, items: int) -> int:
    """An IATI file of one activity: a commitment, ``items`` budgets of 1,000
    and ``items`` planned disbursements of 600, each phasing the first
    budget with room left (each budget has room for one); returns 1."""
    day = 86_400
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(_one_activity_head("PLANNED"))
        for k in range(items):
            d = time.strftime("%Y-%m-%d", time.gmtime(1_451_606_400 + k * day))
            fh.write(f' <budget type="1" status="1"><period-start iso-date="{d}"/><period-end '
                     f'iso-date="{d}"/><value value-date="{d}">1000</value></budget>\n'
                     f' <planned-disbursement><period-start iso-date="{d}"/><value>600</value>'
                     f'</planned-disbursement>\n')
        fh.write(_ONE_ACTIVITY_TAIL)
    return 1


STAGES = {
    "read": "from ledger.imports.iati import read_iati; r = read_iati({f!r}); "
            "print(len(r.records))",
    "peer-lxml-tree": "from lxml import etree; t = etree.parse({f!r}); "
                      "print(len(t.getroot()))",
}


def run_stage(stage: str, f: Path, work: Path) -> dict:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    if stage == "cli-import":
        out = work / f"ledger-{f.stem}"
        shutil.rmtree(out, ignore_errors=True)   # a new ledger each time, not a re-import
        cmd = [sys.executable, "-m", "ledger_tool", "import", "--from", "iati", str(f),
               "-o", str(out)]
    else:
        code = STAGES[stage].format(f=str(f))
        cmd = [sys.executable, "-c", code]
    # one child per stage: wrap it so its own peak RSS is reported
    wrapper = ("import resource, subprocess, sys, json, time; t = time.perf_counter(); "
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print(json.dumps({'rc': p.returncode, 'wall': time.perf_counter() - t, "
               "'maxrss_kb': u.ru_maxrss, 'user': u.ru_utime, 'sys': u.ru_stime, "
               "'out': p.stdout.strip()[-60:], 'err': p.stderr.strip()[-200:]}))")
    p = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True,
                       env=env, cwd=work)
    return json.loads(p.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, nargs="*", default=[10, 100],
                    help="files of about these sizes (none: only --activities)")
    ap.add_argument("--activities", type=int, nargs="*", default=[5000],
                    help="also files of this many short activities (two transactions each)")
    ap.add_argument("--items", type=int, nargs="*", default=[],
                    help="also a file of one activity with this many budgets and as many "
                         "disbursements")
    ap.add_argument("--reversals", type=int, nargs="*", default=[],
                    help="also a file of one activity with this many disbursements, every other "
                         "one a reversal")
    ap.add_argument("--planned", type=int, nargs="*", default=[],
                    help="also a file of one activity with this many budgets and as many "
                         "planned disbursements")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--turns", type=int, default=1,
                    help="run each stage this many times (CPU s moves with the machine's load: "
                         "the least of several turns is the figure to compare)")
    ap.add_argument("--stages", nargs="*", default=["read", "cli-import", "peer-lxml-tree"],
                    choices=["read", "cli-import", "peer-lxml-tree"])
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-iati-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'size':>8} {'activities':>10} {'stage':<15} {'wall s':>8} {'user s':>7} {'sys s':>6} "
          f"{'CPU s':>6} {'peak MiB':>9} {'load':>5}  result")
    files = [(f"iati-{mb}mb.xml", lambda f, mb=mb: generate(f, mb)) for mb in args.mb] \
        + [(f"iati-{n}-activities.xml", lambda f, n=n: generate(f, 0, n)) for n in args.activities] \
        + [(f"iati-1-activity-{n}-items.xml", lambda f, n=n: generate_large_activity(f, n))
           for n in args.items] \
        + [(f"iati-1-activity-{n}-reversals.xml", lambda f, n=n: generate_reversals(f, n))
           for n in args.reversals] \
        + [(f"iati-1-activity-{n}-planned.xml", lambda f, n=n: generate_planned(f, n))
           for n in args.planned]
    for name, make in files:
        f = work / name
        if not f.exists():
            make(f)
        n = sum(1 for _ in open(f, "rb") if b"<iati-identifier>" in _)
        size = f.stat().st_size / 1e6
        for stage in args.stages:
            cpu = []
            for _ in range(args.turns):
                load = os.getloadavg()[0]
                r = run_stage(stage, f, work)
                cpu.append(r["user"] + r["sys"])
                what = r["out"] if r["rc"] == 0 else f"exit {r['rc']}: {r['err']}"
                print(f"{size:7.0f}M {n:>10} {stage:<15} {r['wall']:8.2f} {r['user']:7.2f} "
                      f"{r['sys']:6.2f} {cpu[-1]:6.2f} {r['maxrss_kb'] / 1024:9.0f} {load:5.1f}  "
                      f"{what.splitlines()[-1] if what else ''}")
            if len(cpu) > 1:
                print(f"{'':>19} {stage:<15} CPU s least {min(cpu):.2f}, median "
                      f"{sorted(cpu)[len(cpu) // 2]:.2f} of {len(cpu)} turns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
