"""HTTP API of the parties module (mounted under /api/parties/ by murojaat.api).

Read like the pages: any signed-in user (session cookie), nothing anonymous. Endpoints parse
input, call a selector or the pure allocator, and answer; errors are RFC 9457 problems (installed
on the whole API by murojaat.api) with a stable ``code`` and a ``detail`` that says what to fix.
The catch-all ``/{slug}`` is declared last so the fixed paths win (no party may be slugged
"registered", "elections" or "allocate").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.security import SessionAuth

from murojaat.core.errors import DomainError

from . import apportionment, selectors
from .models import Party, PartyEvent, names_of


class NotSignedIn(DomainError):
    code = "not_signed_in"
    status = 401


class SignedInUser(SessionAuth):
    """The web session, as on the pages; anonymous callers get a problem saying so.

    Raising here (rather than returning None) keeps the API-wide 401 text, written for the signed
    gateway, from telling a browser user to send HMAC headers.
    """

    def authenticate(self, request, key):  # type: ignore[no-untyped-def]
        user = super().authenticate(request, key)
        if user is None:
            raise NotSignedIn(
                _("Sign in to Murojaat first: the parties API uses your web session.")
            )
        return user


router = Router(tags=["parties"], auth=SignedInUser())

MethodName = Literal["hare", "droop", "dhondt", "sainte-lague"]


class PartyOut(Schema):
    slug: str
    name: str
    names: dict[str, str] = Field(description="The name in en, uz, uz_Cyrl and ru.")
    short_name: str
    kind: str
    orientation: str


class RegisteredOut(PartyOut):
    status: str = Field(
        description="registered: certainly; possibly: the source dates an event only roughly"
    )


class EventOut(Schema):
    date: date
    precision: str
    party: str
    kind: str
    related: str | None
    note: str
    inferred: bool = Field(description="Deduced from the source, not stated by it (see note).")


class BecameStep(Schema):
    slug: str
    name: str


class PartyDetailOut(PartyOut):
    value_guidelines: str
    notes: str
    source: str
    history: list[EventOut]
    became: list[list[BecameStep]]


class ResultOut(Schema):
    list_name: str
    party: str | None
    registration_order: int | None
    verified: bool
    votes: float
    share_percent: float
    official_seats: int | None
    computed_seats: int
    qualified: bool
    admitted: bool
    differs: bool


class ElectionOut(Schema):
    slug: str
    name: str
    date: date
    body: str
    list_seats: int
    threshold_percent: float
    method: str
    min_parties: int
    vote_unit: str
    votes_cast: float
    registered_voters: int | None
    ballots_cast: int | None
    valid_votes: int | None
    turnout_percent: float | None
    tie_rule: str
    tie_rule_text: str
    ties: list[TieOut]
    source: str
    notes: str
    error: str
    differences: int
    results: list[ResultOut]


Votes = Annotated[Decimal, Field(ge=0, le=10**15, decimal_places=6, allow_inf_nan=False)]


class VoteIn(Schema):
    party: Annotated[str, Field(min_length=1, max_length=200)]
    votes: Votes


class AllocateIn(Schema):
    votes: Annotated[list[VoteIn], Field(max_length=1000)] | dict[str, Votes] = Field(
        description="Either [{party, votes}, ...] or {party: votes}; counts or percentages."
    )
    seats: Annotated[int, Field(ge=1, le=100_000)]
    threshold: Annotated[Decimal, Field(ge=0, le=100)] = Field(
        Decimal(0), description="Percent of votes cast."
    )
    method: MethodName = "hare"
    votes_cast: Annotated[Decimal, Field(gt=0, le=10**15, allow_inf_nan=False)] | None = Field(
        None, description="Total votes cast; default: the sum of the lists."
    )
    min_parties: Annotated[int, Field(ge=0, le=50)] = 0
    tie_rule: Literal["more-votes", "earlier-registration"] = Field(
        "more-votes",
        description="earlier-registration reads the lists as given in registration order.",
    )


class SeatOut(Schema):
    party: str
    votes: float
    seats: int
    qualified: bool
    admitted: bool


class TieOut(Schema):
    stage: str
    contenders: list[str]
    winners: list[str]
    rule: str


class AllocateOut(Schema):
    method: str
    seats: int
    threshold_percent: float
    votes_cast: float
    quota: float | None
    tie_rule: str
    ties: list[TieOut]
    allocation: list[SeatOut]


def _party_out(p: Party) -> dict:
    return {
        "slug": p.slug,
        "name": p.name,
        "names": names_of(p),
        "short_name": p.short_name,
        "kind": p.kind,
        "orientation": p.orientation,
    }


def _tie_out(t: apportionment.Tie) -> dict:
    return {
        "stage": t.stage,
        "contenders": list(t.contenders),
        "winners": list(t.winners),
        "rule": t.rule,
    }


def _event_out(e: PartyEvent) -> dict:
    return {
        "date": e.date,
        "precision": e.precision,
        "party": e.party.slug,
        "kind": e.kind,
        "related": e.related.slug if e.related else None,
        "note": e.note,
        "inferred": e.inferred,
    }


@router.get("/", response=list[PartyOut], summary="List parties")
def list_parties(
    request,
    q: str = "",
    orientation: str = "",
    kind: str = "",
    registered_on: date | None = Query(None, description="Only parties registered that day"),  # noqa: B008
):  # type: ignore[no-untyped-def]
    parties = selectors.party_list(query=q, orientation=orientation, kind=kind)
    if registered_on:
        keep = {p.pk for p in selectors.parties_registered_on(day=registered_on)}
        parties = parties.filter(pk__in=keep)
    return [_party_out(p) for p in parties]


@router.get(
    "/registered",
    response=list[RegisteredOut],
    summary="Parties registered on a date: certainly, then possibly",
)
def registered(request, on: date):  # type: ignore[no-untyped-def]
    return [
        {**_party_out(p), "status": status}
        for status, possibly in (("registered", False), ("possibly", True))
        for p in selectors.parties_registered_on(day=on, possibly=possibly)
    ]


def _election_out(report: selectors.ElectionReport) -> dict:
    e = report.election
    return {
        "slug": e.slug,
        "name": e.name,
        "date": e.date,
        "body": e.body,
        "list_seats": e.list_seats,
        "threshold_percent": float(e.threshold),
        "method": e.method,
        "min_parties": e.min_parties,
        "vote_unit": e.vote_unit,
        "votes_cast": float(report.votes_cast),
        "registered_voters": e.registered_voters,
        "ballots_cast": e.ballots_cast,
        "valid_votes": e.valid_votes,
        "turnout_percent": float(e.turnout_percent) if e.turnout_percent is not None else None,
        "tie_rule": e.tie_rule,
        "tie_rule_text": apportionment.TIE_RULES[apportionment.TieRule(e.tie_rule)],
        "ties": [_tie_out(t) for t in (report.allocation.ties if report.allocation else ())],
        "source": e.source,
        "notes": e.notes,
        "error": report.error,
        "differences": report.differences,
        "results": [
            {
                "list_name": r.name,
                "party": r.party.slug if r.party else None,
                "registration_order": r.registration_order,
                "verified": r.verified,
                "votes": float(r.votes),
                "share_percent": round(r.share, 4),
                "official_seats": r.official,
                "computed_seats": r.computed,
                "qualified": r.qualified,
                "admitted": r.admitted,
                "differs": r.differs,
            }
            for r in report.rows
        ],
    }


@router.get(
    "/elections", response=list[ElectionOut], summary="Elections with computed vs official seats"
)
def elections(request):  # type: ignore[no-untyped-def]
    return [_election_out(selectors.election_report(election=e)) for e in selectors.election_list()]


@router.get(
    "/elections/{slug}",
    response=ElectionOut,
    summary="One election; optionally recomputed under another method or threshold",
)
def election(
    request,
    slug: str,
    method: MethodName | None = None,
    threshold: Annotated[Decimal, Field(ge=0, le=100)] | None = None,
    min_parties: Annotated[int, Field(ge=0, le=50)] | None = None,
):  # type: ignore[no-untyped-def]
    e = selectors.election_get(slug=slug)  # NotFound -> 404 problem
    report = selectors.election_report(
        election=e, method=method, threshold=threshold, min_parties=min_parties
    )
    return _election_out(report)


@router.post(
    "/allocate",
    response=AllocateOut,
    summary="Allocate seats from votes",
    description=(
        "Methods: hare and droop (largest remainder), dhondt, sainte-lague. The threshold is a "
        "percentage of votes cast (votes_cast, default: the sum of the lists), met at equality. "
        "min_parties admits the next lists by votes when fewer pass. " + apportionment.TIE_RULE
    ),
)
def allocate(request, payload: AllocateIn):  # type: ignore[no-untyped-def]
    if isinstance(payload.votes, dict):
        votes = {name.strip(): v for name, v in payload.votes.items()}
        if len(votes) != len(payload.votes):
            raise DomainError(
                _("Party names must be unique (after trimming spaces)."),
                code="duplicate_party",
                field="votes",
            )
    else:
        votes = {}
        for i, item in enumerate(payload.votes):
            name = item.party.strip()
            if name.casefold() in {n.casefold() for n in votes}:
                raise DomainError(
                    _("votes[%(i)d]: party %(name)r appears twice.") % {"i": i, "name": name},
                    code="duplicate_party",
                    field=f"votes.{i}.party",
                )
            votes[name] = item.votes
    if not votes:
        raise DomainError(_("Give at least one party's votes."), code="no_votes", field="votes")
    try:
        result = apportionment.allocate(
            votes,
            payload.seats,
            method=payload.method,
            threshold=apportionment.percent(payload.threshold),
            votes_cast=payload.votes_cast,
            min_parties=payload.min_parties,
            tie_rule=payload.tie_rule,
            registration_order={name: i for i, name in enumerate(votes, start=1)},
        )
    except apportionment.ApportionmentError as exc:
        raise DomainError(str(exc), code="cannot_allocate") from None
    return {
        "method": result.method.value,
        "seats": result.total_seats,
        "threshold_percent": float(payload.threshold),
        "votes_cast": float(result.votes_cast),
        "quota": float(result.quota) if result.quota is not None else None,
        "tie_rule": apportionment.TIE_RULES[apportionment.TieRule(payload.tie_rule)],
        "ties": [_tie_out(t) for t in result.ties],
        "allocation": [
            {
                "party": name,
                "votes": float(votes[name]),
                "seats": seats,
                "qualified": name in result.qualified,
                "admitted": name in result.admitted,
            }
            for name, seats in result.ordered(votes)
        ],
    }


class RequirementOut(Schema):
    code: str
    label: str
    required: str
    actual: str
    met: bool | None
    details: list[str]


class RegistrationCheckOut(Schema):
    party: str
    on: date
    law: str | None
    result: bool | None = Field(description="false: a requirement fails; null: figures missing")
    status: str = Field(description="met, fails or unknown")
    missing: list[str] = Field(description="What the registry lacks to decide, if unknown")
    registry_status: str = Field(
        description="What the registry's events say that day: registered, possibly, or empty"
    )
    existed: bool = Field(description="false: renamed, merged or dissolved by that day")
    ended: EventOut | None
    successor: BecameStep | None = Field(description="The party to check instead")
    figures_from: list[str] = Field(description="Earlier names whose reports were used")
    requirements: list[RequirementOut]


@router.get(
    "/{slug}/registration",
    response=RegistrationCheckOut,
    summary="Check a party against the registration law in force on a date",
)
def registration_check(request, slug: str, on: date):  # type: ignore[no-untyped-def]
    check = selectors.registration_check(party=selectors.party_get(slug=slug), day=on)
    return {
        "party": slug,
        "on": on,
        "law": check.law.title if check.law else None,
        "result": check.result,
        "status": {True: "met", False: "fails", None: "unknown"}[check.result],
        "missing": check.missing,
        "registry_status": check.registry_status,
        "existed": check.existed,
        "ended": _event_out(check.ended_by) if check.ended_by else None,
        "successor": {"slug": check.successor.slug, "name": check.successor.name}
        if check.successor
        else None,
        "figures_from": [p.slug for p in check.figures_from],
        "requirements": [
            {
                "code": r.code,
                "label": str(r.label),
                "required": r.required,
                "actual": r.actual,
                "met": r.met,
                "details": r.details,
            }
            for r in check.requirements
        ],
    }


@router.get("/{slug}", response=PartyDetailOut, summary="One party with its history")
def party_detail(request, slug: str):  # type: ignore[no-untyped-def]
    party = selectors.party_get(slug=slug)  # NotFound -> 404 problem
    return {
        **_party_out(party),
        "value_guidelines": party.value_guidelines,
        "notes": party.notes,
        "source": party.source,
        "history": [_event_out(e) for e in selectors.party_history(party=party)],
        "became": [
            [{"slug": p.slug, "name": p.name} for p in path]
            for path in selectors.party_became(party=party)
        ],
    }
