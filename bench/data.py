"""`make bench-data N=100000 DB=bench100k`: a PostgreSQL database of N realistic appeals.

1. Seed through the services: the real organisation tree (271 organisations), the demo staff
   and the demo appeals (`load_demo`: today's routing queue, sent and awaiting acceptance,
   forwarded to a district and accepted, overdue at a centre, answered from below, an extension
   request, a full round closed by the Virtual Reception), plus, below, a return to the working
   group, a co-executor and a reviewed extension. Every row of their history is written by the
   services themselves.
2. Bulk copies shaped exactly as the services wrote them: each new appeal clones one seed
   appeal's rows (appeal, topics, assignments, answers, events) with COPY, received at a random
   moment of the last three years, every timestamp and due date moved by the same amount, its
   organisations replaced by the same kinds in a random region (directorate -> that region's
   directorate, association -> one of its associations), a new number, author, phone and text.
   Old appeals are closed (full round) but about 3,000 stragglers; recent ones are in every
   state.
3. Secondary indexes are dropped before the copy and built again after, then VACUUM (ANALYZE).
4. The last 13 ended months (env CLOSE_MONTHS, 0 for all) are closed
   (`reports.monthly.close_month`: facts and figures), as the beat task would have done, so the
   dashboards and the monthly report read past months from the store. Run again on an
   existing database, it only closes what is not closed yet.

Text: ordinary words in Uzbek Latin, Uzbek Cyrillic and Russian; "insulin"/"инсулин" is in
about 10% of the texts (the common word), "gemodializ"/"гемодиализ" in about 0.05% (the rare
one). Figures and timings go to stdout; the bench reads personas and words from bench/common.py.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from bench.common import COMMON, RARE  # noqa: E402
from murojaat.core.identity import author_keys  # noqa: E402
from murojaat.core.translit import latin_to_cyrillic, normalize_for_search  # noqa: E402

TABLES = [
    "appeals_appeal",
    "appeals_appeal_topics",
    "appeals_assignment",
    "appeals_answer",
    "appeals_event",
]
YEARS = 3
FIRST = ["Dilnoza", "Botir", "Mohira", "Shuhrat", "Nodira", "Aziz", "Gulnora", "Jasur", "Malika"]
LAST = ["Karimova", "Rasulov", "Yuldasheva", "Abdullayev", "Tursunova", "Ergashev", "Xolmatova"]
WORDS = [
    "poliklinika",
    "shifokor",
    "navbat",
    "dori",
    "kasalxona",
    "tibbiy",
    "yordam",
    "bola",
    "davolash",
    "tekshiruv",
    "operatsiya",
    "xizmat",
    "pul",
    "shikoyat",
    "hamshira",
    "qabul",
    "tez",
    "yordam",
    "mashina",
    "tug'ruqxona",
    "vaksina",
]
RU_WORDS = [
    "поликлиника",
    "врач",
    "очередь",
    "лекарства",
    "больница",
    "помощь",
    "лечение",
    "анализы",
    "приём",
]


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


def seed() -> None:
    """Organisations, staff and the demo's appeals, all through the services."""
    call_command("migrate", verbosity=0)
    call_command("load_orgs", verbosity=0)
    call_command("load_demo", verbosity=0)
    extra_histories()


def extra_histories() -> None:
    """Histories the demo lacks: a return to the working group, a co-executor, an extension
    decided. Best effort: a service whose signature differs is reported, not fatal."""
    from murojaat.accounts.models import User
    from murojaat.appeals import services
    from murojaat.appeals.models import Appeal
    from murojaat.orgs.models import Organisation

    if Appeal.objects.filter(external_id__startswith="BENCH-").exists():
        return
    wg, rd = User.objects.get(username="wg"), User.objects.get(username="rd")
    rd_org = Organisation.objects.get(code="rd-1727")
    centre = Organisation.objects.get(code="centre-cardiology")
    steps = []
    with transaction.atomic():
        for n, step in enumerate(("return", "co_executor", "extension"), start=1):
            appeal = services.register_appeal(
                actor=wg,
                channel="president_vr",
                text=f"Tuman shifoxonasida navbat muammosi ({step}).",
                received_at=timezone.now() - timedelta(days=5),
                author_name="Bench Muallif",
                author_phone=f"+99890000000{n}",
                external_id=f"BENCH-{n}",
            ).appeal
            try:
                if step == "co_executor":
                    services.route_appeal(
                        actor=wg, appeal=appeal, to_org=rd_org, co_executors=[centre]
                    )
                else:
                    (top,) = services.route_appeal(actor=wg, appeal=appeal, to_org=rd_org)
                    if step == "return":
                        services.return_assignment(
                            actor=rd, assignment=top, reason="Bizning vakolatimizga kirmaydi."
                        )
                    else:
                        services.accept_assignment(actor=rd, assignment=top)
                        ext = services.request_extension(
                            actor=rd, assignment=top, days=10, reason="Ekspertiza kutilmoqda."
                        )
                        services.decide_extension(actor=wg, request=ext, approve=True)
                steps.append(step)
            except Exception as exc:
                print(f"  seed history {step!r} skipped: {type(exc).__name__}: {exc}")
    print(f"  extra seed histories: {', '.join(steps) or 'none'}")


def rows_of(cursor, table: str, where: str, ids: list[int]) -> tuple[list[str], list[tuple]]:
    cursor.execute(f"SELECT * FROM {table} WHERE {where} = ANY(%s) ORDER BY id", [ids])
    return [c.name for c in cursor.description], cursor.fetchall()


def text_for(rng: random.Random, common: bool, rare: bool) -> str:
    words = rng.sample(WORDS, 8)
    if rng.random() < 0.3:
        words = [latin_to_cyrillic(w) for w in words]
    elif rng.random() < 0.2:
        words = rng.sample(RU_WORDS, 6)
    if common:
        words.insert(rng.randrange(len(words)), rng.choice(COMMON))
    if rare:
        words.insert(rng.randrange(len(words)), rng.choice(RARE))
    return " ".join(words).capitalize() + "."


def bulk(n: int, started: float) -> None:
    from murojaat.appeals.models import Appeal
    from murojaat.orgs.models import Organisation

    rng = random.Random(2026)
    seeds = list(Appeal.objects.order_by("pk").values_list("pk", "received_at", "state"))
    seed_ids = [s[0] for s in seeds]
    closed = [s[0] for s in seeds if s[2] == "closed"] or seed_ids
    orgs = {o.pk: o for o in Organisation.objects.all()}
    regional = [o for o in orgs.values() if o.kind == "regional_directorate"]
    below: dict[int, list[int]] = {}
    for o in orgs.values():
        if o.parent_id:
            below.setdefault(o.parent_id, []).append(o.pk)
    from murojaat.orgs.models import District

    districts = {}
    for d in District.objects.all():
        districts.setdefault(d.region_id, []).append(d.pk)

    with connection.cursor() as cur:
        templates = {}
        for table, where in [
            ("appeals_appeal", "id"),
            ("appeals_appeal_topics", "appeal_id"),
            ("appeals_assignment", "appeal_id"),
            ("appeals_event", "appeal_id"),
        ]:
            templates[table] = rows_of(cur, table, where, seed_ids)
        acols, arows = templates["appeals_assignment"]
        assignment_ids = [r[acols.index("id")] for r in arows]
        templates["appeals_answer"] = rows_of(
            cur, "appeals_answer", "assignment_id", assignment_ids
        )
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ANY(%s)",
            [TABLES],
        )
        types = {(t, c): d for t, c, d in cur.fetchall()}
        next_id = {}
        for table in TABLES:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            next_id[table] = cur.fetchone()[0]
    by_appeal: dict[str, dict[int, list[tuple]]] = {}
    for table in TABLES:
        cols, rows = templates[table]
        key = (
            "assignment_id"
            if table == "appeals_answer"
            else ("id" if table == "appeals_appeal" else "appeal_id")
        )
        group: dict[int, list[tuple]] = {}
        for row in rows:
            group.setdefault(row[cols.index(key)], []).append(row)
        by_appeal[table] = group
    log(f"templates: {len(seeds)} seed appeals", started)

    indexes = drop_secondary_indexes()
    first_new = held_by_off()
    log(f"dropped {len(indexes)} secondary indexes", started)
    now = timezone.now()
    span = timedelta(days=365 * YEARS)
    # Numbers "BN-<year>-<seq>": apart from the services' own (their sequences continue), and
    # the seq far above them so (channel, year, seq) stays unique.
    seq_of: dict[int, int] = {}
    counts = dict.fromkeys(TABLES, 0)
    chunk = 20000
    straggle = min(0.07, 3000 / max(n, 1))
    with connection.cursor() as cur:
        raw = cur.cursor  # psycopg's own cursor: COPY ... FROM STDIN
        done = 0
        while done < n:
            buffers: dict[str, list[list]] = {table: [] for table in TABLES}
            for _ in range(min(chunk, n - done)):
                received = now - span * (rng.random() ** 1.15)
                age = (now - received).days
                # A ministry's backlog does not grow with its history: a bounded number of old
                # appeals stay open (about 3,000 whatever N), the rest closed a full round.
                recent = age <= 45 or rng.random() < straggle
                template = rng.choice(seed_ids) if recent else rng.choice(closed)
                clone(
                    template, received, rng, templates, by_appeal, types, next_id, buffers,
                    seq_of, regional, below, districts, orgs,
                )  # fmt: skip
            for table in TABLES:  # parents first: the foreign keys are checked at commit
                cols = templates[table][0]
                with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in buffers[table]:
                        copy.write_row(row)
                counts[table] += len(buffers[table])
            done += min(chunk, n - done)
            log(f"copied {done} appeals", started)
        for table in TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
    log(f"copied rows: {counts}", started)
    held_by_on(first_new, started)
    restore_indexes(indexes, started)
    # VACUUM too, not only ANALYZE: a database in service has its visibility map set by
    # autovacuum, so index-only scans skip the table; right after a bulk copy nothing is
    # marked yet, and every page would be measured visiting the rows an index already has.
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
    log("vacuumed and analyzed", started)


def clone(
    template, received, rng, templates, by_appeal, types, next_id, out, seq_of,
    regional, below, districts, orgs,
) -> None:  # fmt: skip
    """One new appeal: the template's rows, moved in time and across the tree."""
    acols = templates["appeals_appeal"][0]
    (arow,) = by_appeal["appeals_appeal"][template]
    delta = received - arow[acols.index("received_at")]
    region = rng.choice(regional)
    org_map: dict[int, int] = {}

    def org(pk):  # type: ignore[no-untyped-def]
        if pk is None:
            return None
        if pk not in org_map:
            o = orgs[pk]
            if o.kind == "regional_directorate":
                org_map[pk] = region.pk
            elif o.kind == "association":
                org_map[pk] = rng.choice(below.get(region.pk) or [pk])
            else:
                org_map[pk] = pk
        return org_map[pk]

    def moved(table, col, value):  # type: ignore[no-untyped-def]
        kind = types.get((table, col))
        if value is None:
            return None
        if kind == "timestamp with time zone":
            return value + delta
        if kind == "date":
            return value + timedelta(days=delta.days)
        if kind == "jsonb":
            # Django's cursor reads jsonb as its text: load it, or it is stored as a string.
            return Jsonb(json.loads(value) if isinstance(value, str) else value)
        return value

    appeal_id = next_id["appeals_appeal"]
    next_id["appeals_appeal"] += 1
    year = received.year
    seq_of[year] = seq_of.get(year, 1_000_000) + 1
    first, last = rng.choice(FIRST), rng.choice(LAST)
    phone = f"+99890{rng.randrange(10**7):07d}"
    text = text_for(rng, rng.random() < 0.10, rng.random() < 0.0005)
    region_id = region.region_id
    district_id = rng.choice(districts.get(region_id) or [None])
    name = f"{last} {first}"
    number = f"BN-{year}-{seq_of[year]:07d}"
    keys = author_keys(phone=phone, email="", name=name, address="")
    search_text = normalize_for_search(" ".join([number, name, phone, phone.lstrip("+"), text]))
    content = normalize_for_search(f"{number} {text}")
    replace = {
        "id": appeal_id,
        "number": number,
        "seq": seq_of[year],
        "year": year,
        "external_id": None,
        "source_client_id": None,
        "author_name": name,
        "author_phone": phone,
        "author_email": "",
        "author_address": "",
        "author_region_id": region_id,
        "author_district_id": district_id,
        "author_phone_key": keys.phone,
        "author_email_key": keys.email,
        "author_name_key": keys.name,
        "text": text,
        "search_text": search_text,
        "content_search_text": content,
        "repeat_of_id": None,
        "duplicate_of_id": None,
        "complaint_against_id": None,
        "tracking_secret_hash": "",
    }
    out["appeals_appeal"].append(
        [
            replace[c] if c in replace else moved("appeals_appeal", c, v)
            for c, v in zip(acols, arow, strict=True)
        ]
    )
    tcols = templates["appeals_appeal_topics"][0]
    for row in by_appeal["appeals_appeal_topics"].get(template, []):
        new = dict(zip(tcols, row, strict=True))
        new["id"], new["appeal_id"] = next_id["appeals_appeal_topics"], appeal_id
        next_id["appeals_appeal_topics"] += 1
        out["appeals_appeal_topics"].append([new[c] for c in tcols])
    scols = templates["appeals_assignment"][0]
    assignment_map: dict[int, int] = {}
    for row in by_appeal["appeals_assignment"].get(template, []):
        assignment_map[row[scols.index("id")]] = next_id["appeals_assignment"]
        next_id["appeals_assignment"] += 1
    for row in by_appeal["appeals_assignment"].get(template, []):
        new = {c: moved("appeals_assignment", c, v) for c, v in zip(scols, row, strict=True)}
        new["id"] = assignment_map[new["id"]]
        new["appeal_id"] = appeal_id
        if new.get("parent_id") is not None:
            new["parent_id"] = assignment_map.get(new["parent_id"])
        for c in ("org_id", "sender_org_id"):
            if c in new:
                new[c] = org(new[c])
        out["appeals_assignment"].append([new[c] for c in scols])
        ncols = templates["appeals_answer"][0]
        for answer in by_appeal["appeals_answer"].get(row[scols.index("id")], []):
            a = {c: moved("appeals_answer", c, v) for c, v in zip(ncols, answer, strict=True)}
            a["id"] = next_id["appeals_answer"]
            next_id["appeals_answer"] += 1
            a["assignment_id"] = new["id"]
            out["appeals_answer"].append([a[c] for c in ncols])
    ecols = templates["appeals_event"][0]
    for row in by_appeal["appeals_event"].get(template, []):
        e = {c: moved("appeals_event", c, v) for c, v in zip(ecols, row, strict=True)}
        e["id"] = next_id["appeals_event"]
        next_id["appeals_event"] += 1
        e["appeal_id"] = appeal_id
        if e.get("assignment_id") is not None:
            e["assignment_id"] = assignment_map.get(e["assignment_id"])
        for c in ("actor_org_id", "target_org_id"):
            if c in e:
                e[c] = org(e[c])
        out["appeals_event"].append([e[c] for c in ecols])


HELD_BY_TRIGGER = "appeals_assignment_held_by"  # migration appeals/0020


def held_by_off() -> int | None:
    """The trigger that keeps `appeals_appeal.held_by` would update an appeal per copied
    assignment: off for the copy, then one UPDATE (`held_by_on`). Returns the first new id."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [HELD_BY_TRIGGER])
        if cur.fetchone() is None:
            return None
        cur.execute(f"ALTER TABLE appeals_assignment DISABLE TRIGGER {HELD_BY_TRIGGER}")
        cur.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM appeals_appeal")
        return int(cur.fetchone()[0])


def held_by_on(first_new: int | None, started: float) -> None:
    if first_new is None:
        return
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE appeals_appeal a SET held_by = h.orgs FROM ("
            "  SELECT appeal_id, array_agg(DISTINCT org_id ORDER BY org_id) AS orgs"
            "  FROM appeals_assignment WHERE appeal_id >= %s GROUP BY appeal_id) h"
            " WHERE h.appeal_id = a.id",
            [first_new],
        )
        cur.execute(f"ALTER TABLE appeals_assignment ENABLE TRIGGER {HELD_BY_TRIGGER}")
    log("held_by of the copied appeals written", started)


def drop_secondary_indexes() -> list[str]:
    """Non-unique indexes of the bulk tables (the copy is faster without them)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.tablename = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary",
            [TABLES],
        )
        found = cur.fetchall()
        for name, _definition in found:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in found]


def restore_indexes(definitions: list[str], started: float) -> None:
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cur.execute(definition)
    log(f"rebuilt {len(definitions)} indexes", started)


def main() -> None:
    n = int(os.environ.get("N", "100000"))
    started = time.monotonic()
    if connection.vendor != "postgresql":
        sys.exit("bench-data needs PostgreSQL: set DATABASE_URL")
    seed()
    log("seeded through the services", started)
    from murojaat.appeals.models import Appeal

    have = Appeal.objects.count()
    if have >= n:
        log(f"already {have} appeals: nothing to add", started)
    else:
        bulk(n - have, started)
        log(f"done: {Appeal.objects.count()} appeals, at {datetime.now():%Y-%m-%d %H:%M}", started)
    close_months(started)


def close_months(started: float) -> None:
    """Close every ended month as celery beat would have, month after month: the dashboards'
    past periods and the monthly report read the figures counted then (issue 9 item 3)."""
    from murojaat.reports import monthly

    months = monthly.months_to_close()
    # Every ended month by default (CLOSE_MONTHS=0): closing derives a month from its own
    # events in a few seconds (docs/performance.md, fourth pass). CLOSE_MONTHS=N closes the
    # last N; CLOSE_MONTHS=none closes nothing (to time `manage.py month_figures` on its own).
    setting = os.environ.get("CLOSE_MONTHS", "0")
    if setting == "none":
        log("no month closed (CLOSE_MONTHS=none)", started)
        return
    keep = int(setting)
    months = months[-keep:] if keep else months
    for year, month in months:
        t0 = time.perf_counter()
        record = monthly.close_month(year, month)
        log(
            f"closed {year:04d}-{month:02d}: {record.facts} facts, "
            f"{time.perf_counter() - t0:.1f} s",
            started,
        )
    for year, month in monthly.months_to_count():
        monthly.count_figures(year, month)
    log(f"closed {len(months)} months (month-end facts and figures)", started)
    # The running month's provisional figures, as celery beat keeps them.
    t0 = time.perf_counter()
    snap = monthly.refresh_running_month()
    log(f"running month counted ({snap}): {time.perf_counter() - t0:.1f} s", started)


if __name__ == "__main__":
    main()
