"""Charts of a :class:`reports.tables.Report` with matplotlib (Agg, no display).

Each ``*_figure(report)`` returns a matplotlib ``Figure`` built from the
report's tables (so tests can inspect the bars before anything is saved);
``write_charts(report, folder)`` saves every chart as PNG and SVG.

- ``purpose_figure``: spending by purpose, horizontal bars stacked by funder;
  the top N purposes (``options.top``) and the rest as "(other)".
- ``timeline_figure``: money falling in each (calendar/fiscal) year, bars
  grouped by funder.
- ``comparison_figure``: the compared funders side by side per purpose.

Titles and axes state currency, basis and valuation; money tick labels use
``babel.numbers.format_compact_currency`` for the report's locale (£12M, 12 M €).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reports.tables import OTHER, TOTAL, Report

CHARTS = ("purpose", "timeline", "comparison")


def _plt():
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    plt.rcParams["svg.fonttype"] = "path"    # self-contained SVG (no font files)
    return plt


def money_formatter(currency: str, locale: str):
    """A matplotlib tick formatter: compact currency amounts for the locale."""
    from babel.numbers import format_compact_currency
    from matplotlib.ticker import FuncFormatter

    def fmt(x, _pos=None):
        return format_compact_currency(x, currency, locale=locale,
                                       fraction_digits=_compact_digits(x))

    return FuncFormatter(fmt)


def _compact_digits(x: float) -> int:
    """Fraction digits that show a tick value exactly in compact form
    (1.6e9 -> 1 for "£1.6B"; 2.5e8 -> 0 for "£250M"), at most 2."""
    import math
    if not x:
        return 0
    unit = 10 ** (3 * int(math.floor(math.log10(abs(x)) / 3))) if abs(x) >= 1000 else 1
    scaled = abs(x) / unit
    for k in range(3):
        if abs(scaled * 10 ** k - round(scaled * 10 ** k)) < 1e-6:
            return k
    return 2


def _floats(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda c: c.map(float)).astype(float)


def _top_n(matrix: pd.DataFrame, n: int) -> pd.DataFrame:
    """Rows ordered by total, largest first; rows after the n-th summed into OTHER."""
    order = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    m = matrix.loc[order]
    if n and len(m) > n:
        rest = m.iloc[n - 1:].sum().to_frame(OTHER).T
        m = pd.concat([m.iloc[: n - 1], rest])
    return m


def _short(label: str, width: int = 42) -> str:
    """A chart label: cut to ``width``; control characters shown as \\xNN (SVG is
    XML, which cannot hold them) and "$" kept literal (not matplotlib mathtext,
    which fails on e.g. "$\\foo$")."""
    label = label if len(label) <= width else label[: width - 1] + "…"
    label = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", label)
    return label.replace("$", r"\$")


def _subtitle(report: Report) -> str:
    return report.basis_text()


def purpose_figure(report: Report):
    """Horizontal bars per purpose (top N + "(other)"), stacked by funder."""
    plt = _plt()
    m = report.matrix
    data = _top_n(_floats(m), report.options.top) if not m.empty else pd.DataFrame()
    rows = max(len(data), 1)
    fig, ax = plt.subplots(figsize=(10, 1.6 + 0.42 * rows))
    left = pd.Series(0.0, index=data.index)
    for funder in data.columns:
        ax.barh([_short(str(i)) for i in data.index], data[funder], left=left, label=_short(str(funder), 60))
        left = left + data[funder]
    return _finish_purpose_bars(fig, ax, report, "Funding by purpose, stacked by funder",
                                legend=len(data.columns) > 0)


def timeline_figure(report: Report):
    """Bars per year, one per funder (grouped)."""
    plt = _plt()
    data = _floats(report.by_year) if not report.by_year.empty else pd.DataFrame()
    fig, ax = plt.subplots(figsize=(10, 5))
    n = max(len(data.columns), 1)
    width = 0.8 / n
    xs = range(len(data.index))
    for k, funder in enumerate(data.columns):
        ax.bar([x - 0.4 + width * (k + 0.5) for x in xs], data[funder], width=width, label=_short(str(funder), 60))
    ax.set_xticks(list(xs), [str(y) for y in data.index])
    ax.yaxis.set_major_formatter(money_formatter(report.currency, report.options.locale))
    ax.set_ylabel(report.currency)
    ax.set_xlabel(report.year_label)
    horizon = f"; open-ended amounts to {report.horizon}" if report.horizon else ""
    ax.set_title(f"Funding per year by funder\n{report.currency}, amounts spread over their "
                 f"periods by days, valued at {report.valuation_text()}{horizon}", fontsize=10)
    if len(data.columns):
        ax.legend(title="funder", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def comparison_figure(report: Report):
    """The compared funders side by side per purpose (top N + "(other)")."""
    plt = _plt()
    c = report.comparison
    c = c.drop(index=TOTAL, errors="ignore")
    data = _top_n(_floats(c), report.options.top) if not c.empty else pd.DataFrame()
    rows = max(len(data), 1)
    fig, ax = plt.subplots(figsize=(10, 1.6 + 0.5 * rows))
    n = max(len(data.columns), 1)
    height = 0.8 / n
    ys = range(len(data.index))
    for k, funder in enumerate(data.columns):
        ax.barh([y - 0.4 + height * (k + 0.5) for y in ys], data[funder], height=height,
                label=_short(str(funder), 60))
    ax.set_yticks(list(ys), [_short(str(i)) for i in data.index])
    names = " vs ".join(str(x) for x in data.columns)
    return _finish_purpose_bars(fig, ax, report, f"{names}: funding by purpose",
                                legend=len(data.columns) > 0)


def _finish_purpose_bars(fig, ax, report: Report, title: str, legend: bool):
    """Purposes down the side, money along the bottom (babel ticks), the
    title and axis stating currency, basis and valuation."""
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(money_formatter(report.currency, report.options.locale))
    ax.set_xlabel(f"{report.currency} ({_subtitle(report)})")
    ax.set_title(f"{title}\n{_subtitle(report)}", fontsize=11)
    if legend:
        ax.legend(title="funder", fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


FIGURES = {"purpose": purpose_figure, "timeline": timeline_figure, "comparison": comparison_figure}


def figures(report: Report) -> dict:
    return {name: make(report) for name, make in FIGURES.items()}


def write_charts(report: Report, folder, progress=None) -> dict[str, dict[str, Path]]:
    """Save every chart as ``chart-<name>.png`` and ``.svg`` (atomically);
    returns {name: {"png": path, "svg": path}}."""
    from ledger.atomic import atomic_path

    plt = _plt()
    folder = Path(folder)
    out = {}
    for name, make in FIGURES.items():
        if progress is not None:
            progress.step(f"drawing the {name} chart")
        fig = make(report)
        try:
            out[name] = {}
            for ext in ("png", "svg"):
                path = folder / f"chart-{name}.{ext}"
                with atomic_path(path) as tmp:
                    fig.savefig(tmp, format=ext, dpi=110 if ext == "png" else None,
                                metadata={"Date": None} if ext == "svg" else None)
                out[name][ext] = path
        finally:
            plt.close(fig)
    return out
