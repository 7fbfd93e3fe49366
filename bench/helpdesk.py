"""django-helpdesk side by side: its staff ticket list and ticket creation at Murojaat's volume.

`DATABASE_URL=postgres://.../bench100000 python bench/helpdesk.py [--repeat 8] [--creates 50]`
(or `make bench-helpdesk`). django-helpdesk is a different application with different
dependencies, so it never enters Murojaat's environment: the script makes its own virtualenv
(`bench/.helpdesk-venv`, git-ignored) with the pins of pyproject.toml's dependency group
`helpdesk-bench` (from PyPI), and runs itself inside it (`--inside`) against its own database
(`helpdesk<N>`, N = the appeals in the Murojaat database). The tickets are written by SQL as
helpdesk writes them (ticket rows spread over 10 queues and three years, one "Ticket Opened"
follow-up each, a quarter with a second, staff follow-up), so the comparison is of the two
applications on the same row count, each measured in-process through Django's test client as
`bench/pages.py` measures Murojaat's pages.

Compared: helpdesk's staff ticket list (the page, then the datatables JSON its page fetches
for the first 25 rows: a user waits for both) against Murojaat's working-group inbox; a staff
member creating a ticket through helpdesk's form against an appeal registered through
Murojaat's signed API (each one transaction, the validation, the rows and the response).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".helpdesk-venv"
# django-helpdesk 1.1.0 supports Django 4.2 (LTS): its pins are pyproject.toml's dependency
# group `helpdesk-bench`, installed into this script's own virtualenv only.
PINS = tomllib.loads((HERE.parent / "pyproject.toml").read_text())["dependency-groups"][
    "helpdesk-bench"
]
QUEUES = 10


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * q // 100) - 1)]


def summary(times: list[float]) -> dict[str, float]:
    return {"p50": percentile(times, 50), "p95": percentile(times, 95)}


# --- inside the helpdesk virtualenv --------------------------------------------------------


def inside(db: str, count: int, repeat: int, creates: int) -> dict:
    # This file's folder is first on the path and this file is named like the package.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="bench-helpdesk",
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
            "django.contrib.sites",
            "django.contrib.humanize",
            "bootstrap4form",
            "account",
            "pinax.invitations",
            "pinax.teams",
            "rest_framework",
            "helpdesk",
            "reversion",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        ROOT_URLCONF="__main__",
        SITE_ID=1,
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": db,
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": "5432",
            }
        },
        STATIC_URL="/static/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOGIN_URL="/login/",
    )
    django.setup()
    from django.urls import include, path

    globals()["urlpatterns"] = [path("", include("helpdesk.urls", namespace="helpdesk"))]

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from helpdesk.models import Queue, Ticket

    call_command("migrate", verbosity=0)
    staff, _ = User.objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    for q in range(1, QUEUES + 1):
        Queue.objects.get_or_create(
            slug=f"q{q}", defaults={"title": f"Queue {q}", "allow_public_submission": True}
        )
    have = Ticket.objects.count()
    if have < count:
        fill(connection, count - have, staff.id)

    client = Client()
    client.force_login(staff)
    # The page, then the JSON it fetches for its table (the default query: open tickets).
    page_times, data_times = [], []
    data_url = ""
    for i in range(repeat + 2):
        started = time.perf_counter()
        response = client.get("/tickets/")
        page = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        found = re.search(r"datatables_ticket_list/([A-Za-z0-9+/=]+)", response.content.decode())
        assert found, "no datatables URL in the ticket list"
        data_url = f"/datatables_ticket_list/{found.group(1)}?draw=1&start=0&length=25"
        started = time.perf_counter()
        data = client.get(data_url)
        rows = (time.perf_counter() - started) * 1000
        assert data.status_code == 200 and len(data.json()["data"]) == 25, data.content[:200]
        if i >= 2:
            page_times.append(page)
            data_times.append(rows)
    list_times = [a + b for a, b in zip(page_times, data_times, strict=True)]

    queue = Queue.objects.get(slug="q1")
    create_times = []
    for i in range(creates + 2):
        started = time.perf_counter()
        response = client.post(
            "/tickets/submit/",
            {
                "queue": queue.id,
                "title": f"Bench ticket {i}",
                "body": f"Poliklinikada shifokor qabul qilmadi, navbat uch kun ({i}).",
                "priority": 3,
                "submitter_email": f"bench{i}@example.org",
                "assigned_to": "",
            },
        )
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, response.content[:500]
        if i >= 2:
            create_times.append(elapsed)
    return {
        "tickets": Ticket.objects.count(),
        "list page": summary(page_times),
        "list data": summary(data_times),
        "list": summary(list_times),
        "create": summary(create_times),
    }


def fill(connection, n: int, staff_id: int) -> None:
    """Tickets and follow-ups as helpdesk writes them, in one INSERT ... SELECT each."""
    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM helpdesk_queue")
        low, high = cur.fetchone()
        cur.execute(
            """
            INSERT INTO helpdesk_ticket (title, created, modified, submitter_email, status,
                on_hold, description, resolution, priority, due_date, assigned_to_id, queue_id,
                secret_key)
            SELECT 'Poliklinikada navbat ' || g,
                   now() - (random() * interval '1095 days'),
                   now() - (random() * interval '30 days'),
                   'author' || g || '@example.org',
                   CASE WHEN random() < 0.93 THEN 4 ELSE 1 END,
                   false,
                   'Poliklinikada shifokor qabul qilmadi, navbat uch kun (' || g || ').',
                   '', 1 + (random() * 4)::int, NULL,
                   CASE WHEN random() < 0.5 THEN %s END,
                   %s + (random() * (%s - %s))::int,
                   md5(g::text || random()::text)::uuid::text
            FROM generate_series(1, %s) g
            """,
            [staff_id, low, high, low, n],
        )
        cur.execute(
            """
            INSERT INTO helpdesk_followup (date, title, comment, public, new_status, ticket_id)
            SELECT t.created, 'Ticket Opened', t.description, true, NULL, t.id
            FROM helpdesk_ticket t
            WHERE NOT EXISTS (SELECT 1 FROM helpdesk_followup f WHERE f.ticket_id = t.id)
            """
        )
        cur.execute(
            """
            INSERT INTO helpdesk_followup (date, title, comment, public, new_status, ticket_id,
                user_id)
            SELECT t.modified, 'Closed', 'Javob berildi.', true, 4, t.id, %s
            FROM helpdesk_ticket t WHERE t.status = 4 AND t.id %% 4 = 0
            """,
            [staff_id],
        )
        cur.execute("ANALYZE helpdesk_ticket")
        cur.execute("ANALYZE helpdesk_followup")


# --- the driver, in Murojaat's environment ---------------------------------------------------


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    installed = subprocess.run(
        [str(python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout.lower()
    wanted = [pin.replace("[binary]", "").lower() for pin in PINS]
    if any(pin not in installed.split() for pin in wanted):
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PINS], check=True)
    return python


def murojaat_side(repeat: int, creates: int) -> tuple[int, dict, dict]:
    sys.path.insert(0, str(HERE.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from bench.common import BENCH_BROKER, purge_bench_queue

    os.environ.setdefault("CELERY_BROKER_URL", BENCH_BROKER)  # after-commit work: workers'
    import django

    django.setup()
    import uuid

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from bench.intake import body, signed_api
    from murojaat.appeals.models import Appeal

    appeals = Appeal.objects.count()
    client = Client()
    client.force_login(get_user_model().objects.get(username="wg"))
    inbox = reverse("appeals:inbox")
    times = []
    for i in range(repeat + 2):
        started = time.perf_counter()
        assert client.get(inbox).status_code == 200
        if i >= 2:
            times.append((time.perf_counter() - started) * 1000)

    api = signed_api()
    run = "HD" + uuid.uuid4().hex[:6]
    intake = []
    for i in range(creates + 2):
        started = time.perf_counter()
        assert api.create_appeal(body(i, run)).status == 201
        if i >= 2:
            intake.append((time.perf_counter() - started) * 1000)
    if os.environ["CELERY_BROKER_URL"] == BENCH_BROKER:
        purge_bench_queue()
    return appeals, summary(times), summary(intake)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--creates", type=int, default=50)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db")
    parser.add_argument("--count", type=int)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.inside:
        result = inside(args.db, args.count, args.repeat, args.creates)
        Path(args.json).write_text(json.dumps(result))
        return

    appeals, inbox, intake = murojaat_side(args.repeat, args.creates)
    python = ensure_venv()
    db = f"helpdesk{appeals // 1000 * 1000}"
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", db], capture_output=True, check=False
    )
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                str(python),
                __file__,
                "--inside",
                "--db",
                db,
                "--count",
                str(appeals),
                "--repeat",
                str(args.repeat),
                "--creates",
                str(args.creates),
                "--json",
                out.name,
            ],
            check=True,
            env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        )
        helpdesk = json.loads(Path(out.name).read_text())

    print(f"Murojaat: {appeals} appeals; django-helpdesk ({db}): {helpdesk['tickets']} tickets")
    print(f"{'':42} {'p50 ms':>8} {'p95 ms':>8}")
    rows = [
        ("helpdesk ticket list (page + 25 rows JSON)", helpdesk["list"]),
        ("  of which the page", helpdesk["list page"]),
        ("  of which the rows (datatables JSON)", helpdesk["list data"]),
        ("Murojaat inbox (working group)", inbox),
        ("helpdesk staff ticket creation", helpdesk["create"]),
        ("Murojaat API registration (signed)", intake),
    ]
    for label, figures in rows:
        print(f"{label:42} {figures['p50']:8.1f} {figures['p95']:8.1f}")
    for what, theirs, ours in (
        ("list", helpdesk["list"], inbox),
        ("create", helpdesk["create"], intake),
    ):
        print(
            f"{what}: helpdesk / Murojaat = {theirs['p50'] / ours['p50']:.1f}x at p50, "
            f"{theirs['p95'] / ours['p95']:.1f}x at p95"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"appeals": appeals, "helpdesk": helpdesk, "inbox": inbox, "intake": intake})
        )


if __name__ == "__main__":
    main()
