"""Mixed load: 100 signed-in staff on inbox, appeal, search and dashboard pages, as deployed.

`DATABASE_URL=... python bench/load.py [--workers 3] [--seconds 60] [--connections 100]
[--no-proxy] [--threads N]`. Needs Debian's `wrk` and `nginx` (`make bench-tools`). Runs the
deployment the README describes, against the database: nginx on 127.0.0.1:8765 buffering
requests and holding the users' idle connections, gunicorn's sync workers behind it on 8766,
Redis for the cache and the sessions (REDIS_URL, database 7 unless set) and one Celery worker
on it (CELERY_BROKER_URL). Opens 100 sessions spread over the five personas
(bench/common.py), views each persona's dashboard once (the day's first view, which counts
its figures), and runs wrk for a bounded time (it stops by itself) with a Lua script that
sends each connection's requests with its own session, each user thinking 2 to 8 s between
pages: inbox tabs, the persona's recent appeals, searches by number, name and common and rare
words, the dashboard. Prints throughput, p50/p95/p99, the slowest request, errors
(non-2xx/3xx, socket errors, timeouts over 2 s), the workers' peak resident memory and each
kind of page's own time in gunicorn. wrk leaves requests over its 2 s timeout out of the
latency percentiles: read them with the timeouts. Reads only (no writes): the actions are
measured by bench/intake.py and the services' tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# As deployed (README, "Deployment"): a shared cache (sessions, the tree version, the dashboards'
# figures) and a Celery worker for what pages hand to the background. The bench's own Redis
# database, flushed before the run: another bench database's copies must not be read.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("CELERY_BROKER_URL", os.environ["REDIS_URL"])

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import COMMON, PERSONAS, RARE, percentile  # noqa: E402
from murojaat.accounts.models import User  # noqa: E402
from murojaat.appeals import selectors  # noqa: E402

PORT = 8765  # what the users connect to: nginx, or gunicorn itself with --no-proxy
APP_PORT = 8766  # gunicorn behind nginx
NGINX = """
worker_processes 1;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path %(dir)s/body;
  proxy_temp_path %(dir)s/proxy;
  fastcgi_temp_path %(dir)s/fastcgi;
  uwsgi_temp_path %(dir)s/uwsgi;
  scgi_temp_path %(dir)s/scgi;
  # The users' idle connections (they think up to 8 s) stay with nginx, not with a worker.
  keepalive_timeout 10s;
  upstream murojaat { server 127.0.0.1:%(app)d; }
  server {
    listen 127.0.0.1:%(port)d;
    location / {
      proxy_pass http://murojaat;
      proxy_set_header Host $http_host;
      proxy_read_timeout 30s;
    }
  }
}
"""
LUA = r"""
local paths = {%(paths)s}
local cookies = {%(cookies)s}
local counter = 0
local errors = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args) n = 0; math.randomseed(id + 1) end
-- Staff read a page before the next: 2 to 8 s of thinking (5 s on average) per user.
function delay() return math.random(2000, 8000) end
function request()
  n = n + 1
  local who = (id * 1000 + n) %% #cookies + 1
  local list = paths[cookies[who][1]]
  local path = list[(n * 7 + id) %% #list + 1]
  return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. cookies[who][2]})
end
function done(summary, latency, requests)
  io.write(string.format("LOAD requests=%%d seconds=%%.1f non2xx=%%d timeouts=%%d connect=%%d "
    .. "read=%%d p50=%%.1f p95=%%.1f p99=%%.1f max=%%.1f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status, summary.errors.timeout,
    summary.errors.connect, summary.errors.read,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def session_for(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def paths_for(user: User) -> list[str]:
    inbox, search = reverse("appeals:inbox"), reverse("appeals:search")
    recent = list(
        selectors.appeals_visible_to(user)
        .order_by("-received_at", "pk")
        .values_list("number", "author_name")[:20]
    )
    tabs = ["routing", "overdue", "answers"] if selectors.sees_everything(user) else [
        "to_accept", "in_work", "overdue"
    ]  # fmt: skip
    paths = [inbox, *(f"{inbox}?tab={t}" for t in tabs), reverse("reports:dashboard")]
    paths += [reverse("appeals:detail", args=[n]) for n, _name in recent[:10]]
    paths += [f"{search}?q={quote(n)}" for n, _name in recent[:3]]
    paths += [f"{search}?q={quote(name.split()[0])}" for _n, name in recent[:2] if name]
    paths += [f"{search}?q={quote(w)}" for w in (*COMMON, *RARE)]
    return paths


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def peak_memory(pids: list[int], stop: threading.Event, peak: dict[str, int]) -> None:
    while not stop.is_set():
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    peak["kb"] = max(peak.get("kb", 0), int(line.split()[1]))
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=3)
    # As the README deploys it: nginx in front, buffering each request and holding the users'
    # idle keep-alive connections, and gunicorn's sync workers behind it taking one whole
    # request at a time from one queue. --no-proxy lets wrk connect to gunicorn itself; there
    # a sync worker that accepted an idle connection waits on it (wrk connects first and
    # sends after the think time), so use threads (gthread, --threads 4): they poll the
    # connections, but each connection stays with the worker that accepted it.
    parser.add_argument("--proxy", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--json")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/load.py needs wrk: apt-get install wrk")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if args.proxy and not nginx:
        sys.exit("bench/load.py needs nginx (apt-get install nginx-light) or --no-proxy")
    from django.core.cache import cache

    cache.clear()
    rng = random.Random(9)  # which persona each session is (reproducible)
    users = {p: User.objects.get(username=u) for p, u in PERSONAS.items()}
    paths = {p: paths_for(u) for p, u in users.items()}
    personas = list(PERSONAS)
    sessions = [(p, session_for(users[p])) for p in (rng.choice(personas) for _ in range(100))]
    lua = LUA % {
        "paths": ", ".join(
            f"[{lua_string(p)}] = {{{', '.join(map(lua_string, ps))}}}" for p, ps in paths.items()
        ),
        "cookies": ", ".join(f"{{{lua_string(p)}, {lua_string(k)}}}" for p, k in sessions),
    }
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    access = tempfile.NamedTemporaryFile("r", suffix=".log")  # noqa: SIM115 (read after the run)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "murojaat.wsgi", "-w", str(args.workers),
         *(["-k", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []),
         # Idle connections outlive the users' think time (8 s at most), as a proxy keeps its
         # clients': with gunicorn's 2 s default, wrk finds the connection closed on the next
         # request and counts a read error for a request the server never saw.
         "--keep-alive", "10",
         "-b", f"127.0.0.1:{APP_PORT if args.proxy else PORT}", "--timeout", "30",
         "--log-level", "warning",
         "--access-logfile", access.name, "--access-logformat", "%(U)s|%(q)s|%(s)s|%(D)s"],
        env=env, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "murojaat", "worker", "-c", "1",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
        env=env, start_new_session=True,
    )  # fmt: skip
    proxy_dir = tempfile.TemporaryDirectory()
    proxy = None
    if args.proxy:
        conf = Path(proxy_dir.name) / "nginx.conf"
        conf.write_text(NGINX % {"dir": proxy_dir.name, "app": APP_PORT, "port": PORT})
        proxy = subprocess.Popen(
            [nginx, "-p", proxy_dir.name, "-c", str(conf), "-g", "daemon off;"],
            start_new_session=True,
        )
    warmed = 0
    try:
        time.sleep(4)
        # The day's first view of each dashboard counts its figures (reports.selectors
        # .dashboard); afterwards Celery counts them again in the background every minute.
        first_views = dict(sessions)
        for persona, key in first_views.items():
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}{reverse('reports:dashboard')}",
                headers={"Cookie": f"sessionid={key}"},
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200, persona
        time.sleep(0.5)  # gunicorn has written their lines: the summary starts after them
        warmed = len(Path(access.name).read_text())
        workers = [
            int(p)
            for p in subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        stop, peak = threading.Event(), {}
        watcher = threading.Thread(target=peak_memory, args=(workers, stop, peak), daemon=True)
        watcher.start()
        if os.environ.get("BENCH_LOAD_KEEP_LUA"):
            Path(os.environ["BENCH_LOAD_KEEP_LUA"]).write_text(lua)
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(lua)
            script.flush()
            out = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "2s",
                 "-s", script.name, f"http://127.0.0.1:{PORT}"],
                capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
        stop.set()
        line = next((x for x in out.splitlines() if x.startswith("LOAD ")), out)
        fields = dict(kv.split("=") for kv in line.split()[1:]) if line.startswith("LOAD") else {}
        if fields:
            requests, seconds = int(fields["requests"]), float(fields["seconds"])
            errors = sum(int(fields[k]) for k in ("non2xx", "timeouts", "connect", "read"))
            print(
                f"mixed load: {'nginx, ' if args.proxy else ''}"
                f"gunicorn -w {args.workers} --threads {args.threads}, "
                f"{args.connections} users, "
                f"{seconds:.0f} s: "
                f"{requests / seconds:.1f} req/s, p50 {fields['p50']} ms, p95 {fields['p95']} ms, "
                f"p99 {fields['p99']} ms, slowest {fields['max']} ms, errors {errors} "
                f"(non-2xx {fields['non2xx']}, timeouts >2 s {fields['timeouts']}), "
                f"peak worker memory {peak.get('kb', 0) / 1024:.0f} MiB"
            )
            if args.json:
                Path(args.json).write_text(
                    json.dumps(
                        {
                            "rate": requests / seconds,
                            "requests": requests,
                            "p50": float(fields["p50"]),
                            "p95": float(fields["p95"]),
                            "max": float(fields["max"]),
                            "errors": errors,
                            "timeouts": int(fields["timeouts"]),
                            "peak_mib": peak.get("kb", 0) / 1024,
                        }
                    )
                )
        else:
            print(out)
    finally:
        processes = [p for p in (proxy, server, worker) if p is not None]
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        proxy_dir.cleanup()
    print_pages(Path(access.name).read_text()[warmed:])
    access.close()


def page_of(path: str, query: str) -> str:
    """The kind of page a request was, for the per-page lines of the summary."""
    if "/search/" in path:
        return "search"
    if "/inbox/" in path:
        return "inbox " + (query.split("tab=")[1].split("&")[0] if "tab=" in query else "default")
    if "/reports/" in path:
        return "dashboard"
    if "/appeals/" in path:
        return "appeal page"
    return path


def print_pages(log: str) -> None:
    """Server-side time per kind of page (gunicorn's access log, %(D)s microseconds), so a
    slow mix names its slow page: what wrk sees adds the queue in front of the workers."""
    times: dict[str, list[float]] = {}
    for line in log.splitlines():
        parts = line.split("|")
        if len(parts) == 4 and parts[3].isdigit():
            times.setdefault(page_of(parts[0], parts[1]), []).append(int(parts[3]) / 1000)
    if not times:
        return
    print(f"{'server time per page':24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for page, values in sorted(times.items(), key=lambda kv: -percentile(kv[1], 95)):
        print(
            f"{page:24} {len(values):8d} {percentile(values, 50):8.1f} "
            f"{percentile(values, 95):8.1f} {max(values):8.1f}"
        )
    slow = sorted(
        (int(parts[3]) / 1000, f"{parts[0]}?{parts[1]}" if parts[1] else parts[0])
        for parts in (line.split("|") for line in log.splitlines())
        if len(parts) == 4 and parts[3].isdigit() and int(parts[3]) > 1_000_000
    )
    for ms, url in slow[::-1][:10]:
        print(f"  over 1 s in gunicorn: {ms:8.1f} ms  {url}")


if __name__ == "__main__":
    main()
