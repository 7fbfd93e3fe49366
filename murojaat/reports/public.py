"""Quarterly published statistics and open data (L-11, art. 35), for anyone to read.

The figures are the month-end facts of the quarter's three months (`monthly.py`), read at the
ministry's level or one region's (the author's region): received, considered, satisfied,
refused, left without consideration, the on-time rate and the average days to answer. The open
data is the register as Uzbekistan's Virtual Reception publishes it: one row per appeal, with
nothing that identifies a person (number, channel, kind, topics, region, district, received,
answered, outcome, on time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Min

from murojaat.appeals import selectors
from murojaat.appeals.deadlines import TASHKENT, local_date
from murojaat.appeals.models import Appeal, Event, EventKind, IssueOutcome, Outcome
from murojaat.orgs.models import Region

from . import facts as F
from . import monthly

OPEN_DATA_FIELDS = (
    "number",
    "channel",
    "kind",
    "topics",
    "region",
    "district",
    "received",
    "answered",
    "outcome",
    "on_time",
)


def quarter_months(year: int, quarter: int) -> list[tuple[int, int]]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    return [(year, 3 * quarter - 2 + i) for i in range(3)]


def quarter_instants(year: int, quarter: int) -> tuple[datetime, datetime]:
    months = quarter_months(year, quarter)
    start = F.month_instants(*months[0])[0]
    end = F.month_instants(*months[-1])[1]
    return start, end


@dataclass
class QuarterStatistics:
    year: int
    quarter: int
    region: Region | None
    received: int
    considered: int
    outcomes: dict[str, int]
    on_time: int
    late: int
    average_days: float | None
    channels: dict[str, int]
    topics: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        answered = self.on_time + self.late
        return 100.0 * self.on_time / answered if answered else None


def quarter_statistics(year: int, quarter: int, region: Region | None) -> QuarterStatistics:
    flt = monthly.Filter(region_id=region.pk if region else None)
    rows: list[F.Fact] = []
    for y, m in quarter_months(year, quarter):
        if F.month_instants(y, m)[0] > datetime.now(tz=TASHKENT):
            continue  # a month still to come has no facts
        rows.extend(monthly.facts_for(y, m, flt)[0])
    figures = monthly.aggregate(rows, flt)
    answered = [
        f
        for f in rows
        if f.metric in (F.ON_TIME, F.LATE) and f.org_id is None and f.key.lstrip("-").isdigit()
    ]
    days = {f.ref: int(f.key) for f in answered}
    t = figures.totals
    return QuarterStatistics(
        year=year,
        quarter=quarter,
        region=region,
        received=t[F.RECEIVED],
        considered=len({f.ref for f in answered}),
        outcomes={o: t[o] for o in Outcome.values},
        on_time=t[F.ON_TIME],
        late=t[F.LATE],
        average_days=(sum(days.values()) / len(days)) if days else None,
        channels=figures.breakdowns.get("channel", {}),
        topics=figures.breakdowns.get("topic", {}),
    )


def first_year() -> int:
    first = selectors.published_register(
        datetime(1900, 1, 1, tzinfo=TASHKENT), datetime(3000, 1, 1, tzinfo=TASHKENT)
    ).aggregate(first=Min("received_at"))["first"]
    return local_date(first).year if first else date.today().year


def open_data_rows(year: int, quarter: int, region: Region | None = None) -> list[dict[str, Any]]:
    """One row per appeal received in the quarter: nothing that names, locates or quotes a
    person. The outcome is the one the answer sent out recorded (one per issue, joined)."""
    start, end = quarter_instants(year, quarter)
    qs = selectors.published_register(start, end)
    if region is not None:
        qs = qs.filter(author_region=region)
    appeals = list(
        qs.order_by("received_at", "pk").values(
            "pk",
            "number",
            "channel",
            "kind",
            "received_at",
            "author_region__soato",
            "author_district__soato",
        )
    )
    ids = [a["pk"] for a in appeals]
    topics: dict[int, list[str]] = {}
    sent: dict[int, dict[str, Any]] = {}
    for start_i in range(0, len(ids), 2000):
        chunk = ids[start_i : start_i + 2000]
        through = Appeal.topics.through.objects.filter(appeal_id__in=chunk)
        for appeal_id, code in through.values_list("appeal_id", "topic__code").order_by(
            "appeal_id", "topic__code"
        ):
            topics.setdefault(appeal_id, []).append(code)
        for appeal_id, at, data in (
            Event.objects.filter(appeal_id__in=chunk, kind=EventKind.ANSWER_SENT)
            .order_by("at", "pk")
            .values_list("appeal_id", "at", "data")
        ):
            sent[appeal_id] = {"at": at, "data": data or {}}  # the latest answer sent wins
        for appeal_id in Event.objects.filter(
            appeal_id__in=chunk, kind=EventKind.LEFT_WITHOUT_CONSIDERATION
        ).values_list("appeal_id", flat=True):
            sent.setdefault(appeal_id, {"at": None, "data": {"outcomes": [["", Outcome.LEFT]]}})
    legacy = [i for i, s in sent.items() if s["at"] and "outcomes" not in s["data"]]
    legacy_outcomes: dict[int, list[str]] = {}
    for appeal_id, outcome in IssueOutcome.objects.filter(
        answer__assignment__appeal_id__in=legacy,
        answer__assignment__parent__isnull=True,
        answer__assignment__role="executor",
    ).values_list("answer__assignment__appeal_id", "outcome"):
        legacy_outcomes.setdefault(appeal_id, []).append(outcome)
    rows = []
    for a in appeals:
        s = sent.get(a["pk"])
        answered = local_date(s["at"]) if s and s["at"] else None
        outcomes = (
            [o for _topic, o in s["data"].get("outcomes", [])] or legacy_outcomes.get(a["pk"], [])
            if s
            else []
        )
        due = s["data"].get("due") if s else None
        rows.append(
            {
                "number": a["number"],
                "channel": a["channel"],
                "kind": a["kind"],
                "topics": ";".join(topics.get(a["pk"], [])),
                "region": a["author_region__soato"] or "",
                "district": a["author_district__soato"] or "",
                "received": local_date(a["received_at"]).isoformat(),
                "answered": answered.isoformat() if answered else "",
                "outcome": ";".join(dict.fromkeys(outcomes)),
                "on_time": (
                    ""
                    if not (answered and due)
                    else ("yes" if answered <= date.fromisoformat(due) else "no")
                ),
            }
        )
    return rows
