"""Compiled readers for IATI XML into columns: CPU seconds per MB, each route
a whole process.

    .venv/bin/python benchmarks/bench_iati_readers.py FOLDER [--lib DIR]

FOLDER: IATI files (``benchmarks/iati_folder.py`` makes one).  Routes, each
run as a fresh process over every file of FOLDER, its user + sys CPU read
from ``getrusage(RUSAGE_CHILDREN)``, the best of ``--turns``:

- ``iterparse``: lxml's ``iterparse``, each activity cleared, nothing read
  (the floor of today's reader);
- ``xslt``: libxslt through lxml, one stylesheet writing every element
  below the children the mapping reads (line, name, language, text, each
  attribute) as tab-separated text, read by ``pyarrow.csv``;
- ``xml2arrow``: the Rust ``xml2arrow`` (quick-xml) with a configuration
  of the fields the mapping reads, one table per kind of element (not a
  dependency: installed in a scratch folder given by ``--lib``, skipped with
  the reason when absent);
- ``read_iati`` and ``checked``: today's reader with its mapping, and the
  rule engine on its records in 8 MB batches (as ``import --to`` runs
  them), in one process (``time.process_time``).

With ``--lib``, the probes: how xml2arrow and lxml each take the inputs a
published file may hold (mixed content, Latin-1, UTF-16, content after the
root, a repeated element, an undeclared entity).  Nothing here is a test.
"""
from __future__ import annotations

import argparse
import glob
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ACTIVITY = "/iati-activities/iati-activity"
# the activity's children the mapping reads (``iati._ACTIVITY_TAGS`` less the title)
READ = ("iati-identifier", "reporting-org", "participating-org", "sector", "recipient-country",
        "recipient-region", "transaction", "budget", "planned-disbursement")
STYLESHEET = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:saxon="http://icl.com/saxon" extension-element-prefixes="saxon">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/"><xsl:for-each select="*/*">
<xsl:text>&#9;A&#9;&#9;&#10;</xsl:text>
<xsl:for-each select="@*"><xsl:text>&#9;</xsl:text><xsl:value-of select="local-name()"/>
<xsl:text>&#9;&#9;</xsl:text><xsl:value-of select="."/><xsl:text>&#10;</xsl:text></xsl:for-each>
<xsl:for-each select="*[WANTED]/descendant-or-self::*">
<xsl:value-of select="saxon:line-number()"/><xsl:text>&#9;</xsl:text>
<xsl:value-of select="local-name()"/><xsl:text>&#9;</xsl:text>
<xsl:value-of select="@xml:lang"/><xsl:text>&#9;</xsl:text>
<xsl:value-of select="translate(text(), '&#9;&#10;&#13;', '   ')"/><xsl:text>&#10;</xsl:text>
<xsl:for-each select="@*"><xsl:text>@&#9;</xsl:text><xsl:value-of select="local-name()"/>
<xsl:text>&#9;&#9;</xsl:text><xsl:value-of select="translate(., '&#9;&#10;&#13;', '   ')"/>
<xsl:text>&#10;</xsl:text></xsl:for-each>
</xsl:for-each></xsl:for-each></xsl:template>
</xsl:stylesheet>""".replace("WANTED", " or ".join(f"local-name()='{t}'" for t in READ))


def xml2arrow_config(part: str) -> str:
    """A YAML configuration of the fields the mapping reads, in two parts
    (``values``, ``narratives``), each read by a pass of its own.  xml2arrow
    captures a value into the innermost table only, and starts a table's
    row at a child of the table's element: an element's attributes and its
    repeated narratives cannot be read in one pass (given to its own table,
    the attributes of sibling elements without narratives run together into
    one row: ``code="1"``, ``code="2"`` read as ``12``)."""
    a = ACTIVITY

    def table(name: str, path: str, levels: list[str], fields: list[tuple[str, str]]) -> str:
        return (f"  - name: {name}\n    xml_path: {path}\n    levels: [{', '.join(levels)}]\n"
                + ("    fields:\n" if fields else "    fields: []\n")
                + "".join(f"      - {{name: {n}, xml_path: {p}, data_type: Utf8, nullable: true}}\n"
                          for n, p in fields))
    named = {"reporting-org": ["ref", "type"], "participating-org": ["role", "ref", "type"],
             "sector": ["code", "vocabulary", "percentage"], "recipient-country": ["code", "percentage"],
             "recipient-region": ["code", "vocabulary", "percentage"]}
    items = {"transaction": ["provider-org", "receiver-org", "description", "transaction-type", "sector",
                             "recipient-country", "recipient-region"],
             "budget": [], "planned-disbursement": ["provider-org", "receiver-org"]}
    out = [table("activities", "/iati-activities", ["act"], [])]
    if part == "narratives":
        out.append(table("kids", a, ["act", "kid"], []))
        for el in named:
            out.append(table("n_" + el.replace("-", "_"), f"{a}/{el}", ["act", "kid", "n"],
                             [("lang", f"{a}/{el}/narrative/@lang"), ("text", f"{a}/{el}/narrative")]))
        for item, subs in items.items():
            if subs:
                out.append(table(f"i_{item.replace('-', '_')}", f"{a}/{item}", ["act", "kid", "c"], []))
            for s in subs:
                out.append(table(f"n_{item}_{s}".replace("-", "_"), f"{a}/{item}/{s}",
                                 ["act", "kid", "c", "n"],
                                 [("lang", f"{a}/{item}/{s}/narrative/@lang"),
                                  ("text", f"{a}/{item}/{s}/narrative")]))
        return "parser_options:\n  trim_text: false\ntables:\n" + "".join(out)
    kids = [("version", f"{a}/@version"), ("currency", f"{a}/@default-currency"),
            ("updated", f"{a}/@last-updated-datetime"), ("hierarchy", f"{a}/@hierarchy"),
            ("id", f"{a}/iati-identifier")]
    for el, attrs in named.items():
        k = el.replace("-", "_")
        kids += [(f"{k}_{at}", f"{a}/{el}/@{at}") for at in attrs] + [(f"{k}_text", f"{a}/{el}")]
    out.append(table("kids", a, ["act", "kid"], kids))
    for item, subs in items.items():
        p = f"{a}/{item}"
        fields = [("value", f"{p}/value"), ("currency", f"{p}/value/@currency"),
                  ("value_date", f"{p}/value/@value-date")]
        if item == "transaction":
            fields += [("ref", f"{p}/@ref"), ("type", f"{p}/transaction-type/@code"),
                       ("date", f"{p}/transaction-date/@iso-date"), ("date_text", f"{p}/transaction-date")]
        else:
            fields += [(f"{end}{x}", f"{p}/period-{end}" + ("" if x else "/@iso-date"))
                       for end in ("start", "end") for x in ("", "_text")]
        if item == "budget":
            fields += [("status", f"{p}/@status"), ("type", f"{p}/@type")]
        for s in subs:
            k = s.replace("-", "_")
            attrs = {"provider-org": ["ref", "type"], "receiver-org": ["ref"], "sector": ["code", "vocabulary"],
                     "recipient-country": ["code"], "recipient-region": ["code", "vocabulary"]}.get(s, [])
            fields += [(f"{k}_{at}", f"{p}/{s}/@{at}") for at in attrs] + [(f"{k}_text", f"{p}/{s}")]
        out.append(table(item.replace("-", "_"), p, ["act", "kid", "c"], fields))
    return "parser_options:\n  trim_text: false\ntables:\n" + "".join(out)


def route(name: str, files: list[str], lib: str | None) -> int:
    """Every file of ``files`` read by the route ``name``: the rows made."""
    n = 0
    if name == "iterparse":
        from lxml import etree
        for f in files:
            with open(f, "rb") as fh:
                for _, el in etree.iterparse(fh, events=("end",), tag="{*}iati-activity",
                                             resolve_entities=False, no_network=True, load_dtd=False,
                                             remove_comments=True, remove_pis=True):
                    n += 1
                    el.clear(keep_tail=False)
    elif name == "xslt":
        import pyarrow as pa
        import pyarrow.csv as pcsv
        from lxml import etree
        xslt = etree.XSLT(etree.XML(STYLESHEET.encode()))
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 remove_comments=True, remove_pis=True)
        names = ["line", "name", "lang", "value"]
        opts = (pcsv.ReadOptions(column_names=names),
                pcsv.ParseOptions(delimiter="\t", quote_char=False, escape_char=False),
                pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())))
        chunks: list[bytes] = []
        for k, f in enumerate(files):
            with open(f, "rb") as fh:
                chunks.append(bytes(xslt(etree.parse(fh, parser))))
            if len(chunks) >= 200 or k == len(files) - 1:
                n += pcsv.read_csv(io.BytesIO(b"".join(chunks)), *opts).num_rows
                chunks = []
    elif name == "xml2arrow":
        sys.path.insert(0, lib or "")
        from xml2arrow import XmlToArrowParser
        parsers = []
        for part in ("values", "narratives"):
            with tempfile.NamedTemporaryFile("w", suffix=".yaml") as cfg:
                cfg.write(xml2arrow_config(part))
                cfg.flush()
                parsers.append(XmlToArrowParser(cfg.name))
        for f in files:
            n += sum(b.num_rows for p in parsers for b in p.parse(f).values())
    return n


def product(files: list[str], turns: int) -> tuple[float, float]:
    """(``read_iati``, ``bulk.checked``) CPU seconds over ``files``, best of ``turns``."""
    sys.path.insert(0, str(ROOT))
    from ledger.imports.bulk import checked
    from ledger.imports.common import read_file
    from ledger.imports.iati import read_iati
    best = (float("inf"), float("inf"))
    for _ in range(turns):
        t = time.process_time()
        results = [read_file(read_iati, f) for f in files]
        read = time.process_time() - t
        good = [r for r in results if not any(getattr(p, "kind", None) == "error" for p in r.problems)]
        docs = [r.document["id"] for r in good if r.document]
        t = time.process_time()
        batch: list = []
        size = 0
        for r in [*good, None]:
            if r is None or size >= 8_000_000:
                checked(batch, docs)
                batch, size = [], 0
            if r is not None:
                batch.append(r)
                size += os.path.getsize(r.file)
        best = (min(best[0], read), min(best[1], time.process_time() - t))
    return best


PROBES = {
    "mixed content": b"<r><a><n>a<b>x</b>c</n></a></r>",
    "Latin-1": b'<?xml version="1.0" encoding="ISO-8859-1"?><r><a><n>caf\xe9</n></a></r>',
    "UTF-16": '<?xml version="1.0" encoding="UTF-16"?><r><a><n>x</n></a></r>'.encode("utf-16"),
    "content after the root": b"<r><a><n>1</n></a></r><x/>",
    "an element twice": b"<r><a><n>1</n><n>2</n></a></r>",
    "undeclared entity": b"<r><a><n>&nbsp;</n></a></r>",
}
PROBE_CONFIG = ("tables:\n  - name: r\n    xml_path: /r\n    levels: [a]\n    fields:\n"
                "      - {name: n, xml_path: /r/a/n, data_type: Utf8, nullable: true}\n")


def probes(lib: str) -> None:
    """How each probe reads: xml2arrow's first value or error, lxml's first <n>'s text or error."""
    sys.path.insert(0, lib)
    from lxml import etree
    from xml2arrow import XmlToArrowParser
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as cfg:
        cfg.write(PROBE_CONFIG)
        cfg.flush()
        p = XmlToArrowParser(cfg.name)
    for what, raw in PROBES.items():
        with tempfile.NamedTemporaryFile(suffix=".xml") as f:
            f.write(raw)
            f.flush()
            try:
                col = p.parse(f.name)["r"].column("n").to_pylist()
                got = repr(col[0]) if col else "no row, no error"
            except Exception as err:   # the binding raises its own types, and TypeError
                got = f"{type(err).__name__}: {' '.join(str(err).split())[:90]}"
            try:
                el = etree.parse(f.name, etree.XMLParser(resolve_entities=False)).find(".//n")
                ref = repr(el.text) if el is not None else "none"
            except etree.XMLSyntaxError as err:
                ref = f"line {err.lineno}: {' '.join(str(err).split())[:60]}"
        print(f"  {what}: xml2arrow {got} | lxml {ref}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--lib", default=None, help="a folder holding xml2arrow (pip install --target)")
    ap.add_argument("--turns", type=int, default=3)
    ap.add_argument("--route", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    files = sorted(glob.glob(str(args.folder / "*.xml")))
    if args.route:
        print(route(args.route, files, args.lib))
        return 0
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"{len(files)} files, {mb:.1f} MB; load average {os.getloadavg()[0]:.1f}")
    for name in ("iterparse", "xslt", "xml2arrow"):
        if name == "xml2arrow" and not (args.lib and glob.glob(os.path.join(args.lib, "xml2arrow"))):
            print("xml2arrow: not found (pip install --target DIR xml2arrow, then --lib DIR)")
            continue
        best, rows, peak = float("inf"), "", 0
        for _ in range(args.turns):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            got = subprocess.run([sys.executable, __file__, str(args.folder), "--route", name,
                                  "--lib", args.lib or ""], capture_output=True, text=True, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            best, rows, peak = min(best, cpu), got.stdout.strip(), max(peak, after.ru_maxrss)
        print(f"{name}: {best / mb:.4f} CPU s per MB ({best:.2f} s), {rows} rows, "
              f"peak RSS of the children so far {peak // 1024} MiB")
    read, rules = product(files, args.turns)
    print(f"read_iati: {read / mb:.4f} CPU s per MB; checked: {rules / mb:.4f} "
          f"(one process; load average {os.getloadavg()[0]:.1f})")
    if args.lib:
        print("probes:")
        probes(args.lib)
    return 0


if __name__ == "__main__":
    sys.exit(main())
