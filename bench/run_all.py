"""Run every benchmark in bench/ and print their figures (`make bench`).

The engine's micro-benchmarks (bench_*.py), then, when BENCH_SMALL_URL / BENCH_LARGE_URL name
PostgreSQL databases filled by `make bench-data`, at each volume: the staff pages, each report
against one hand-written SQL aggregate, intake per second against hand-written SQL, the mixed
load (nginx and gunicorn, 100 users through Debian's wrk; BENCH_SKIP_LOAD=1 leaves it out), then
django-helpdesk side by side at the largest volume (its own virtualenv; BENCH_SKIP_HELPDESK=1
leaves it out; BENCH_SKIP_ENGINE=1 leaves out the engine's micro-benchmarks). Last, the
growth of each page's p95 and every target of issue 9 with the figure measured against it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

here = Path(__file__).resolve().parent
for script in sorted(here.glob("bench_*.py")) if not os.environ.get("BENCH_SKIP_ENGINE") else []:
    print(f"=== {script.name}", flush=True)
    subprocess.run([sys.executable, str(script)], check=False)


def reachable(url: str) -> bool:
    probe = "import psycopg,sys; psycopg.connect(sys.argv[1]).close()"
    return subprocess.run([sys.executable, "-c", probe, url], capture_output=True).returncode == 0


def run(script: str, url: str, *args: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, str(here / script), "--json", out.name, *args], env=env, check=True
        )
        return json.loads(Path(out.name).read_text() or "{}")


volumes = [
    (name, url)
    for name, url in (
        ("small", os.environ.get("BENCH_SMALL_URL", "")),
        ("large", os.environ.get("BENCH_LARGE_URL", "")),
    )
    if url and reachable(url)
]
if not volumes:
    print("=== no bench database: `make bench-data N=100000` (and N=1000000) first")
    sys.exit(0)
pages, reports, intake, load = {}, {}, {}, {}
for name, url in volumes:
    print(f"=== pages, {name} volume ({url})", flush=True)
    pages[name] = run("pages.py", url)
    print(f"=== reports against one SQL aggregate, {name} volume", flush=True)
    reports[name] = run("reports.py", url)
    print(f"=== intake, {name} volume", flush=True)
    intake[name] = run("intake.py", url)
    if not os.environ.get("BENCH_SKIP_LOAD"):
        print(f"=== mixed load, {name} volume", flush=True)
        load[name] = run("load.py", url)
helpdesk = {}
if not os.environ.get("BENCH_SKIP_HELPDESK"):
    name, url = volumes[-1]
    print(f"=== django-helpdesk side by side, {name} volume", flush=True)
    helpdesk = run("helpdesk.py", url)
if len(pages) == 2:
    small, large = pages["small"], pages["large"]
    print(f"=== growth from {small['volume']} to {large['volume']} appeals (p95)")
    print(f"{'page':50} {'p95 small':>9} {'p95 large':>9} {'growth':>6} {'queries':>9}")
    worst = 0.0
    for key, row in small["pages"].items():
        other = large["pages"].get(key)
        if not other:
            continue
        growth = other["p95"] / row["p95"] if row["p95"] else 0.0
        if "(Celery)" not in key:  # a background job's time is printed, but is not a page's
            worst = max(worst, growth)
        queries = f"{row['queries']}->{other['queries']}"
        print(f"{key:50} {row['p95']:9.1f} {other['p95']:9.1f} {growth:6.2f} {queries:>9}")
    print(f"worst growth: {worst:.2f}x (target <= 1.2x)")

print("=== targets (issue 9)")
for name in pages:
    volume = pages[name]["volume"]
    for label, row in reports.get(name, {}).items():
        ratio = row["page"] / row["sql"] if row["sql"] else 0.0
        print(f"{volume:>8} {label}: {ratio:.1f}x its SQL aggregate (target <= 1.5x)")
    if name in intake and intake[name].get("api"):
        ratio = intake[name]["sql"] / intake[name]["api"]
        print(f"{volume:>8} intake: {ratio:.1f}x hand-written SQL (target <= 5x)")
    if load.get(name):
        row = load[name]
        print(
            f"{volume:>8} mixed load: {row['rate']:.1f} req/s, errors {row['errors']} "
            f"(target 0), slowest {row['max']:.0f} ms (target < 2000 ms; timeouts "
            f"{row['timeouts']}), peak worker {row['peak_mib']:.0f} MiB"
        )
if helpdesk:
    theirs, ours = helpdesk["helpdesk"]["list"], helpdesk["inbox"]
    print(
        f"{helpdesk['appeals']:>8} inbox vs django-helpdesk's list: "
        f"{theirs['p50'] / ours['p50']:.1f}x faster at p50, {theirs['p95'] / ours['p95']:.1f}x "
        "at p95 (goal 10x)"
    )
