"""Exports of the registry, of an election's results with computed seats, and of the analytics.

Each export is one table of plain values built from the selectors (so it shows exactly what the
pages show), written as CSV (UTF-8 with a byte-order mark, so spreadsheet programs in Russian
and Uzbek locales open the Cyrillic correctly) or as JSON. Names are given in all four languages
so a file serves every reader, whatever language the person exporting it uses.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from . import apportionment, selectors
from .models import Election, Party, names_of

LANGS = ("en", "uz", "uz_Cyrl", "ru")


@dataclass
class Table:
    """One export: a file stem, column names, rows, and (JSON only) metadata about the whole."""

    stem: str
    columns: Sequence[str]
    rows: list[dict[str, Any]]
    meta: dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table.columns), lineterminator="\r\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow(
            {k: "" if row.get(k) is None else _plain(row.get(k)) for k in table.columns}
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(table: Table) -> bytes:
    body = {
        **table.meta,
        "rows": [{k: _plain(r.get(k)) for k in table.columns} for r in table.rows],
    }
    return json.dumps(body, ensure_ascii=False, indent=1, default=_plain).encode("utf-8")


def _names(obj: Any, prefix: str = "name") -> dict[str, str]:
    return {f"{prefix}_{code}": text for code, text in names_of(obj).items()}


def registry(*, day: date | None = None) -> Table:
    """Every party with its names, kind, group and (with ``day``) registration status then."""
    status = selectors.registration_on(day=day) if day else {}
    columns = [
        "slug",
        *(f"name_{c}" for c in LANGS),
        "short_name",
        "kind",
        "orientation",
        "founded",
        "ended",
        "successor",
        "source",
    ]
    if day:
        columns.insert(columns.index("founded"), "registration_status")
    rows = []
    for party in Party.objects.order_by("name"):
        events = list(party.events.order_by("date"))
        founded = next((e for e in events if e.kind == "founded"), None)
        ended = next((e for e in events if e.kind in ("merged_into", "renamed", "dissolved")), None)
        rows.append(
            {
                "slug": party.slug,
                **_names(party),
                "short_name": party.short_name,
                "kind": party.kind,
                "orientation": party.orientation,
                "registration_status": status.get(party.slug, ""),
                "founded": f"{founded.date} ({founded.precision})" if founded else "",
                "ended": f"{ended.kind} {ended.date} ({ended.precision})" if ended else "",
                "successor": ended.related.slug if ended and ended.related else "",
                "source": party.source,
            }
        )
    meta = {"registry_on": day, "events": _events()}
    return Table("party-registry", columns, rows, meta)


def _events() -> list[dict[str, Any]]:
    from .models import PartyEvent

    return [
        {
            "party": e.party.slug,
            "kind": e.kind,
            "date": e.date.isoformat(),
            "precision": e.precision,
            "related": e.related.slug if e.related else None,
            "inferred": e.inferred,
            "note": e.note,
            "source": e.source,
        }
        for e in PartyEvent.objects.select_related("party", "related").order_by("date", "id")
    ]


def election(*, election: Election) -> Table:
    """An election's lists: votes, share, official and computed seats (the election's rules)."""
    report = selectors.election_report(election=election)
    columns = [
        "list",
        "party",
        *(f"party_name_{c}" for c in LANGS),
        "votes",
        "share_percent",
        "official_seats",
        "computed_seats",
        "qualified",
        "admitted",
        "registration_order",
        "verified",
        "note",
    ]
    rows = [
        {
            "list": r.name,
            "party": r.party.slug if r.party else "",
            **(_names(r.party, "party_name") if r.party else {}),
            "votes": r.votes,
            "share_percent": round(r.share, 4),
            "official_seats": r.official,
            "computed_seats": r.computed,
            "qualified": r.qualified,
            "admitted": r.admitted,
            "registration_order": r.registration_order,
            "verified": r.verified,
            "note": r.note,
        }
        for r in report.rows
    ]
    e = election
    meta = {
        "election": e.slug,
        "names": names_of(e),
        "date": e.date,
        "body": e.body,
        "list_seats": e.list_seats,
        "threshold_percent": e.threshold,
        "method": e.method,
        "min_parties": e.min_parties,
        "tie_rule": e.tie_rule,
        "tie_rule_text": apportionment.TIE_RULES[apportionment.TieRule(e.tie_rule)],
        "vote_unit": e.vote_unit,
        "votes_cast": report.votes_cast,
        "registered_voters": e.registered_voters,
        "ballots_cast": e.ballots_cast,
        "valid_votes": e.valid_votes,
        "turnout_percent": e.turnout_percent,
        "ties": [
            {"stage": t.stage, "contenders": t.contenders, "winners": t.winners, "rule": t.rule}
            for t in (report.allocation.ties if report.allocation else ())
        ],
        "error": report.error,
        "source": e.source,
        "notes": names_of(e, "notes"),
    }
    return Table(f"election-{e.slug}", columns, rows, meta)


def analytics_table() -> Table:
    """One row per election: ENP, Gallagher, dominance, Pedersen volatility."""
    columns = [
        "election",
        "date",
        *(f"name_{c}" for c in LANGS),
        "enp_votes_low",
        "enp_votes_high",
        "enp_seats",
        "gallagher_low",
        "gallagher_high",
        "largest_vote_percent",
        "largest_seat_percent",
        "pedersen_volatility",
        "seats_from",
    ]
    rows = []
    for p in selectors.party_system_series():
        m = p.measures
        rows.append(
            {
                "election": p.election.slug,
                "date": p.election.date,
                **_names(p.election),
                "enp_votes_low": round(m.enp_votes.low, 4),
                "enp_votes_high": round(m.enp_votes.high, 4),
                "enp_seats": None if m.enp_seats is None else round(m.enp_seats, 4),
                "gallagher_low": round(m.gallagher.low, 4) if m.gallagher else None,
                "gallagher_high": round(m.gallagher.high, 4) if m.gallagher else None,
                "largest_vote_percent": round(m.largest_vote_share, 4),
                "largest_seat_percent": None
                if m.largest_seat_share is None
                else round(m.largest_seat_share, 4),
                "pedersen_volatility": None if p.volatility is None else round(p.volatility, 4),
                "seats_from": p.seats_from,
            }
        )
    meta = {
        "measures": {
            "enp": "Laakso-Taagepera, 1 / sum(p^2), over the lists' votes or seats",
            "gallagher": "sqrt(1/2 * sum((v - s)^2)), percentage points",
            "pedersen": "1/2 * sum(|p_t - p_t-1|), blocs and mergers pooled, percentage points",
        }
    }
    return Table("party-system-analytics", columns, rows, meta)
