"""How fast the interactive report page opens and filters in a real browser.

    .venv/bin/python benchmarks/bench_page.py REPORT_DIR [REPORT_DIR ...]

For each report folder (written by ``ledger-tool report``), opens
``report.html`` in Debian's headless chromium (selenium + chromedriver) and
prints the page's size, the time until its script has drawn every table and
chart (``data-ready``), and the time one filter change takes to redraw
everything.  Needs /usr/bin/chromium and /usr/bin/chromedriver.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path


def open_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="bench-page-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1300,1800"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts), profile


def measure(driver, page: Path) -> dict:
    t = time.perf_counter()
    driver.get(page.resolve().as_uri())
    wall = time.perf_counter() - t
    ready = driver.execute_script(
        "return [document.documentElement.getAttribute('data-ready'),"
        " performance.timing.domContentLoadedEventEnd - performance.timing.navigationStart]")
    redraw = driver.execute_script(
        "var s = document.getElementById('filter-f'); var t = performance.now();"
        "s.options[0].selected = true; s.dispatchEvent(new Event('change'));"
        "return performance.now() - t;")
    return {"size_mb": page.stat().st_size / 1e6, "open_s": wall, "ready": ready[0],
            "script_done_s": ready[1] / 1000, "filter_redraw_ms": redraw}


def main(argv: list[str]) -> int:
    driver, profile = open_browser()
    try:
        print(f"{'report':40} {'MB':>6} {'open s':>7} {'drawn s':>8} {'filter ms':>10}")
        for folder in argv:
            m = measure(driver, Path(folder) / "report.html")
            print(f"{folder:40} {m['size_mb']:6.1f} {m['open_s']:7.2f} {m['script_done_s']:8.2f} "
                  f"{m['filter_redraw_ms']:10.0f}" + ("" if m["ready"] == "yes" else "  NOT READY"))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
