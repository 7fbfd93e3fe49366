"""Reads of the party registry: the only way views, the API and commands query it.

Each selector gathers rows and hands plain values to a pure module (``lineage``,
``registration``, ``apportionment``, ``analytics``); the rules live there, not here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from murojaat.core.errors import NotFound
from murojaat.core.i18n import language_suffix
from murojaat.core.translit import latin_to_cyrillic

from . import analytics, apportionment, lineage, registration
from .models import (
    BranchReport,
    DatePrecision,
    Election,
    ElectionResult,
    LawVersion,
    MembershipReport,
    Party,
    PartyEvent,
    Region,
    VoteUnit,
    date_interval,
)

DATA_FILE = Path(__file__).parent / "data" / "kazakhstan.json"


@cache
def dataset() -> dict[str, Any]:
    """The shipped data file (the article's parties, events, elections, stages)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def stages() -> list[dict[str, Any]]:
    """K-1: the stages of party construction, each with ``text`` in the active language."""
    suffix = language_suffix((get_language() or "uz").replace("_", "-"))
    out = []
    for stage in dataset()["stages"]:
        text = stage.get(f"summary_{suffix}", "")
        if not text and suffix == "uz_cyrl" and stage.get("summary_uz"):
            text = latin_to_cyrillic(stage["summary_uz"])
        out.append({**stage, "text": text or stage["summary"]})
    return out


# --- parties --------------------------------------------------------------------------------


def party_list(*, query: str = "", orientation: str = "", kind: str = "") -> QuerySet[Party]:
    qs = Party.objects.all()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    if orientation:
        qs = qs.filter(orientation=orientation)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def party_get(*, slug: str) -> Party:
    try:
        return Party.objects.get(slug=slug)
    except Party.DoesNotExist:
        raise NotFound(_("No party %(slug)r.") % {"slug": slug}) from None


def party_history(*, party: Party) -> list[PartyEvent]:
    """The party's own events and those of others pointing at it (merged into it, joined it)."""
    return list(
        PartyEvent.objects.filter(Q(party=party) | Q(related=party))
        .select_related("party", "related")
        .order_by("date", "id")
    )


_STARTS = ("registered", "re_registered")
_ENDS = ("merged_into", "dissolved")


def _facts() -> list[lineage.Fact]:
    """Events with the period each may have happened in, bounded by the party's other events.

    "Dissolved by 2004" has no earliest day of its own, but cannot precede the party's
    registration: its earliest is the day after the registration's latest possible day. A
    registration "by 2016" cannot precede the party's founding (or the rename that made it).
    "Renamed later on" has no latest day of its own, but happened before the new name's next
    event.
    """
    rows = list(
        PartyEvent.objects.values_list("party__slug", "kind", "date", "precision", "related__slug")
    )
    spans = [date_interval(d, prec) for _p, _k, d, prec, _r in rows]
    facts = []
    for (slug, kind, day, prec, related), (earliest, latest) in zip(rows, spans, strict=True):
        if kind in _ENDS and earliest is None and latest is not None:
            before = [
                s[1]
                for (p2, k2, *_), s in zip(rows, spans, strict=True)
                if p2 == slug and k2 in _STARTS and s[1] is not None and s[1] < latest
            ]
            if before:
                earliest = max(before) + timedelta(days=1)
        if kind in _STARTS and earliest is None:
            # Not registered before the party came into being (founded, or renamed into it).
            born = [
                s[0]
                for (p2, k2, _d2, _pr2, r2), s in zip(rows, spans, strict=True)
                if s[0] is not None
                and ((p2 == slug and k2 == "founded") or (r2 == slug and k2 == "renamed"))
            ]
            if born:
                earliest = min(born)
        if latest is None and earliest is not None:
            after = [
                s[1]
                for (p2, _k2, d2, *_), s in zip(rows, spans, strict=True)
                if p2 in {slug, related} and s[1] is not None and d2 > day
            ]
            if after:
                latest = min(after)
        facts.append(
            lineage.Fact(
                party=slug,
                kind=kind,
                date=day,
                related=related,
                earliest=earliest,
                latest=latest,
                exact=prec == DatePrecision.DAY,
            )
        )
    return facts


def registration_on(*, day: date) -> dict[str, str]:
    """Slug -> ``"registered"`` (certainly) or ``"possibly"`` on ``day`` (dates at precision)."""
    return lineage.registration_status(_facts(), day)


def parties_registered_on(*, day: date, possibly: bool = False) -> list[Party]:
    """Parties certainly registered on ``day`` (or, with ``possibly``, those it cannot rule out).

    A source that dates a registration only "before 14 January 2012" does not say the party
    was registered on 13 January; such a party is "possibly" registered then, never counted.
    """
    status = registration_on(day=day)
    want = lineage.POSSIBLY if possibly else lineage.REGISTERED
    slugs = [s for s, v in status.items() if v == want]
    return list(Party.objects.filter(slug__in=slugs).order_by("name"))


def lineage_edges() -> list[lineage.Edge]:
    rows = PartyEvent.objects.filter(related__isnull=False).values_list(
        "party__slug", "related__slug", "kind", "date"
    )
    edges = []
    for src, dst, kind, day in rows:
        if kind == "founded":  # "founded from X": draw X -> the new party
            src, dst = dst, src
        edges.append(lineage.Edge(source=src, target=dst, kind=kind, date=day))
    return edges


def party_became(*, party: Party) -> list[list[Party]]:
    """Paths of mergers and renames from ``party`` (K-5); each path ends at today's successor."""
    paths = lineage.successors(party.slug, lineage_edges())
    by_slug = {p.slug: p for p in Party.objects.all()}
    return [[by_slug[e.target] for e in path] for path in paths]


def _component(slug: str, edges: Sequence[lineage.Edge]) -> set[str]:
    neighbours: dict[str, set[str]] = {}
    for e in edges:
        neighbours.setdefault(e.source, set()).add(e.target)
        neighbours.setdefault(e.target, set()).add(e.source)
    seen, todo = {slug}, [slug]
    while todo:
        for n in neighbours.get(todo.pop(), ()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def lineage_svg(*, focus: Party | None = None, title: str = "") -> str:
    """The lineage graph as SVG: every party linked by an event, or one party's family."""
    edges = lineage_edges()
    linked = {e.source for e in edges} | {e.target for e in edges}
    if focus is not None:
        linked = _component(focus.slug, edges)
    first_year: dict[str, int] = {}  # when the node appears: its first event, or its creation
    for e in edges:
        if e.kind in lineage.BECAME:
            first_year[e.target] = min(first_year.get(e.target, 9999), e.date.year)
    for slug, day in PartyEvent.objects.values_list("party__slug", "date"):
        first_year[slug] = min(first_year.get(slug, 9999), day.year)
    nodes = [
        lineage.Node(
            slug=p.slug,
            label=p.label,
            year=first_year.get(p.slug),
            href=reverse("parties:party", args=[p.slug]),
        )
        for p in Party.objects.filter(slug__in=linked)
    ]
    return lineage.svg(nodes, edges, title=title, focus=focus.slug if focus else "")


# --- registration ---------------------------------------------------------------------------


def law_in_force(*, day: date) -> LawVersion | None:
    return (
        LawVersion.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def regions_on(*, day: date) -> list[Region]:
    return list(
        Region.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
    )


@dataclass
class RegistrationCheck:
    """A party's figures on a day against the law then, and what the registry says of it."""

    party: Party
    day: date
    law: LawVersion | None
    requirements: list[registration.Requirement] = field(default_factory=list)
    result: bool | None = None
    #: "registered", "possibly" or "" (the registry has no registration in force that day).
    registry_status: str = ""
    #: False when the party no longer existed under this name (renamed, merged, dissolved).
    existed: bool = True
    ended_by: PartyEvent | None = None
    successor: Party | None = None
    figures_from: list[Party] = field(default_factory=list)  # earlier names whose reports count

    @property
    def missing(self) -> list[str]:
        return registration.missing(self.requirements)


def _predecessors_by_rename(party: Party) -> list[Party]:
    """The party's earlier names (the same legal person), nearest first."""
    out: list[Party] = []
    current = party
    while True:
        event = (
            PartyEvent.objects.filter(kind="renamed", related=current)
            .select_related("party")
            .first()
        )
        if event is None or event.party in out or event.party == party:
            return out
        out.append(event.party)
        current = event.party


def _ended_before(party: Party, day: date) -> PartyEvent | None:
    """The rename, merger or dissolution that surely ended ``party`` by ``day``, if any.

    "Surely" uses the same bounded periods as the registration status (``_facts``), so "renamed
    later on" counts once the new name's next event has passed.
    """
    for fact in _facts():
        if (
            fact.party == party.slug
            and fact.kind in ("renamed", "merged_into", "dissolved")
            and (fact.date <= day if fact.exact else fact.latest is not None and fact.latest <= day)
        ):
            return (
                PartyEvent.objects.filter(party=party, kind=fact.kind, date=fact.date)
                .select_related("related")
                .first()
            )
    return None


def registration_check(
    *, party: Party, day: date, law: LawVersion | None = None
) -> RegistrationCheck:
    """K-2: the party's figures on ``day`` against the law in force then (or ``law``).

    Honest about gaps: a figure the registry lacks makes its requirement unknown, never failed
    (``check.missing`` says what is lacking); figures reported under an earlier name count (a
    rename keeps the legal person); a party that no longer existed on ``day`` is said to, with
    the successor to check instead.
    """
    law = law or law_in_force(day=day)
    check = RegistrationCheck(party=party, day=day, law=law)
    status = registration_on(day=day)
    check.registry_status = status.get(party.slug, "")
    check.ended_by = _ended_before(party, day)
    if check.ended_by is not None:
        check.existed = False
        for path in party_became(party=party):
            alive = [p for p in path if p.slug in status]
            if alive:
                check.successor = alive[0]
                break
        else:
            check.successor = check.ended_by.related
    if law is None:
        return check
    owners = [party, *_predecessors_by_rename(party)]
    check.figures_from = owners[1:]
    membership = (
        MembershipReport.objects.filter(party__in=owners, date__lte=day).order_by("-date").first()
    )
    latest: dict[int, BranchReport] = {}
    for report in BranchReport.objects.filter(party__in=owners, date__lte=day).select_related(
        "region"
    ):
        if report.region_id not in latest or report.date >= latest[report.region_id].date:
            latest[report.region_id] = report
    branches = {r.region.name: r.members for r in latest.values() if r.is_open}
    figures = registration.Figures(
        members=membership.members if membership else None,
        members_as_of=membership.date if membership else None,
        branch_members=branches,
        required_regions=[r.name for r in regions_on(day=day)],
        closed_regions=[r.region.name for r in latest.values() if not r.is_open],
    )
    rules = registration.LawRules(
        title=law.title,
        min_members=law.min_members,
        branches_in_all_regions=law.branches_in_all_regions,
        min_branch_members=law.min_branch_members,
    )
    check.requirements = registration.check(rules, figures)
    check.result = registration.overall(check.requirements)
    return check


# --- elections ------------------------------------------------------------------------------


def election_list() -> QuerySet[Election]:
    return Election.objects.order_by("date")


def election_get(*, slug: str) -> Election:
    try:
        return Election.objects.get(slug=slug)
    except Election.DoesNotExist:
        raise NotFound(_("No election %(slug)r.") % {"slug": slug}) from None


@dataclass
class ResultRow:
    name: str
    party: Party | None
    votes: Decimal
    share: float  # percent of votes cast
    official: int | None
    computed: int
    qualified: bool
    admitted: bool
    registration_order: int | None = None
    verified: bool = True
    note: str = ""

    @property
    def differs(self) -> bool:
        return self.official is not None and self.official != self.computed


@dataclass
class ElectionReport:
    election: Election
    rows: list[ResultRow]
    allocation: apportionment.Allocation | None
    error: str = ""
    votes_cast: Decimal = Decimal(0)

    @property
    def has_official(self) -> bool:
        return any(r.official is not None for r in self.rows)

    @property
    def differences(self) -> int:
        return sum(1 for r in self.rows if r.differs)

    @property
    def unlisted_share(self) -> float:
        listed = sum((r.votes for r in self.rows), Decimal(0))
        return float((self.votes_cast - listed) / self.votes_cast * 100) if self.votes_cast else 0


def _registration_order(results: Sequence[ElectionResult]) -> dict[str, int]:
    """The lists' registration order, for the tie rule that gives a tie to the earlier list."""
    return {r.name: r.registration_order for r in results if r.registration_order is not None}


def _votes_cast(election: Election, results: Sequence[ElectionResult]) -> Decimal:
    listed = sum((r.votes for r in results), Decimal(0))
    if election.votes_cast is not None:
        return election.votes_cast
    return Decimal(100) if election.vote_unit == VoteUnit.PERCENT else listed


def election_report(
    *,
    election: Election,
    method: str | None = None,
    threshold: Decimal | None = None,
    min_parties: int | None = None,
) -> ElectionReport:
    """Official seats beside the seats the election's rules (or the overrides) compute."""
    results = list(election.results.select_related("party").order_by("-votes", "name"))
    cast = _votes_cast(election, results)
    report = ElectionReport(election=election, rows=[], allocation=None, votes_cast=cast)
    try:
        report.allocation = apportionment.allocate(
            {r.name: r.votes for r in results},
            election.list_seats,
            method=method or election.method,
            threshold=apportionment.percent(election.threshold if threshold is None else threshold),
            votes_cast=cast,
            min_parties=election.min_parties if min_parties is None else min_parties,
            tie_rule=election.tie_rule,
            registration_order=_registration_order(results),
        )
    except apportionment.ApportionmentError as exc:
        report.error = str(exc)
    alloc = report.allocation
    for r in results:
        report.rows.append(
            ResultRow(
                name=r.name,
                party=r.party,
                votes=r.votes,
                share=float(r.votes / cast * 100) if cast else 0.0,
                official=r.official_seats,
                computed=alloc.seats[r.name] if alloc else 0,
                qualified=bool(alloc and r.name in alloc.qualified),
                admitted=bool(alloc and r.name in alloc.admitted),
                registration_order=r.registration_order,
                verified=r.verified,
                note=r.note,
            )
        )
    return report


@dataclass
class WhatIf:
    election: Election
    columns: list[tuple[str, Decimal]]  # (method, threshold %)
    rows: list[tuple[str, Decimal, list[int | None], int | None]]  # list, votes, seats, official
    errors: dict[int, str]


def election_what_if(
    *,
    election: Election,
    methods: Iterable[str],
    thresholds: Iterable[Decimal],
    min_parties: int | None = None,
) -> WhatIf:
    """What-if: seats under each (threshold, method) the user picked."""
    results = list(election.results.order_by("-votes", "name"))
    cast = _votes_cast(election, results)
    votes = {r.name: r.votes for r in results}
    official = {r.name: r.official_seats for r in results}
    columns = [(m, t) for t in thresholds for m in methods]
    table: dict[str, list[int | None]] = {name: [] for name in votes}
    errors: dict[int, str] = {}
    for i, (m, t) in enumerate(columns):
        try:
            alloc = apportionment.allocate(
                votes,
                election.list_seats,
                method=m,
                threshold=apportionment.percent(t),
                votes_cast=cast,
                min_parties=election.min_parties if min_parties is None else min_parties,
                tie_rule=election.tie_rule,
                registration_order=_registration_order(results),
            )
        except apportionment.ApportionmentError as exc:
            errors[i] = str(exc)
            alloc = None
        for name in votes:
            table[name].append(alloc.seats[name] if alloc else None)
    return WhatIf(
        election=election,
        columns=columns,
        rows=[(n, votes[n], table[n], official[n]) for n in votes],
        errors=errors,
    )


@dataclass
class SystemPoint:
    election: Election
    measures: analytics.Measures
    seats_from: str  # "official" or "computed"
    #: Pedersen volatility against the previous election (None for the first).
    volatility: float | None = None
    #: (list name, % of the lists' votes, % of seats) for the seat-vote chart.
    seat_votes: list[tuple[str, float, float]] = field(default_factory=list)


def _identities(day: date) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Bloc members (bloc slug -> member slugs) and the continuity of parties up to ``day``.

    Renames keep a party's identity; a merger into another party on or before ``day`` pools the
    two. Returned as a map slug -> the identity it belongs to, for ``analytics.pedersen``.
    """
    members: dict[str, set[str]] = {}
    joins: list[tuple[str, str]] = []
    for slug, kind, related, when in PartyEvent.objects.filter(
        kind__in=("joined_bloc", "renamed", "merged_into")
    ).values_list("party__slug", "kind", "related__slug", "date"):
        if kind == "joined_bloc":
            members.setdefault(related, set()).add(slug)
        elif when <= day:
            joins.append((slug, related))
    root: dict[str, str] = {}

    def find(x: str) -> str:
        while root.get(x, x) != x:
            x = root[x]
        return x

    for a, b in joins:
        ra, rb = find(a), find(b)
        if ra != rb:
            root[ra] = rb
    return members, {s: find(s) for s in {*root, *(x for pair in joins for x in pair)}}


def _pedersen_rows(
    results: Sequence[ElectionResult], members: dict[str, set[str]], same: dict[str, str]
) -> list[tuple[frozenset[str], Fraction]]:
    rows = []
    for r in results:
        slug = r.party.slug if r.party else f"list:{r.name}"
        ids = members.get(slug) or {slug}
        rows.append((frozenset(same.get(i, i) for i in ids), Fraction(r.votes)))
    return rows


def party_system_series() -> list[SystemPoint]:
    """Analytics over time: one point per election with results (official seats if complete).

    Shares are of the lists' votes: blank, invalid and "against all" ballots are not votes for
    a party, and with complete results the bounds of the measures coincide. Elections stored as
    percentages of votes cast keep the unlisted remainder (see ``analytics``).
    """
    points: list[SystemPoint] = []
    previous: list[ElectionResult] | None = None
    for election in election_list().prefetch_related("results__party"):
        results = list(election.results.all())
        if not results:
            continue
        listed = sum((r.votes for r in results), Decimal(0))
        cast = listed if election.vote_unit == VoteUnit.COUNT else _votes_cast(election, results)
        if all(r.official_seats is not None for r in results):
            seats, origin = [r.official_seats or 0 for r in results], "official"
        else:
            rep = election_report(election=election)
            seats = [rep.allocation.seats[r.name] for r in results] if rep.allocation else None
            origin = "computed"
        point = SystemPoint(
            election=election,
            measures=analytics.measures(
                [Fraction(r.votes) for r in results], seats, Fraction(cast)
            ),
            seats_from=origin,
        )
        total_seats = sum(seats or [])
        if seats is not None and total_seats and listed:
            point.seat_votes = [
                (
                    r.party.display_name if r.party else r.name,
                    float(r.votes / listed * 100),
                    s / total_seats * 100,
                )
                for r, s in zip(results, seats, strict=True)
            ]
        if previous is not None:
            members, same = _identities(election.date)
            point.volatility = analytics.pedersen(
                _pedersen_rows(previous, members, same), _pedersen_rows(results, members, same)
            )
        previous = results
        points.append(point)
    return points


def party_results(*, party: Party) -> list[tuple[ElectionResult, Party | None]]:
    """The party's election results, its blocs' included: (result, the bloc it stood in or None).

    A bloc's votes and seats are credited to each member party (K-5: Agrarian and Civil stood
    as the AIST bloc in 2004), marked so the page says "as part of AIST".
    """
    blocs = {
        e.related_id: e.related
        for e in PartyEvent.objects.filter(party=party, kind="joined_bloc").select_related(
            "related"
        )
    }
    rows = (
        ElectionResult.objects.filter(Q(party=party) | Q(party_id__in=list(blocs)))
        .select_related("election", "party")
        .order_by("election__date")
    )
    return [(r, blocs.get(r.party_id) if r.party_id != party.pk else None) for r in rows]
