"""Run every benchmark in bench/ and print their figures (`make bench`).

The engine's micro-benchmarks (bench_*.py), then, when BENCH_SMALL_URL / BENCH_LARGE_URL name
PostgreSQL databases filled by `make bench-data`, the staff pages at both volumes with the
growth ratio of each page's p95 (target at 1M: <= 1.2x, same queries), intake per second
against hand-written SQL, and each report against one hand-written SQL aggregate.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

here = Path(__file__).resolve().parent
for script in sorted(here.glob("bench_*.py")):
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
pages = {}
for name, url in volumes:
    print(f"=== pages, {name} volume ({url})", flush=True)
    pages[name] = run("pages.py", url)
    print(f"=== reports against one SQL aggregate, {name} volume", flush=True)
    run("reports.py", url)
    print(f"=== intake, {name} volume", flush=True)
    run("intake.py", url)
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
        worst = max(worst, growth)
        queries = f"{row['queries']}->{other['queries']}"
        print(f"{key:50} {row['p95']:9.1f} {other['p95']:9.1f} {growth:6.2f} {queries:>9}")
    print(f"worst growth: {worst:.2f}x (target <= 1.2x)")
