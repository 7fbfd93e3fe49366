"""Writes to the party registry: loading the shipped data and importing election results.

Each service is one transaction. Loading is idempotent (natural keys, update-or-create), so
``manage.py load_parties`` can run on every deploy and after an edit of the data file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from murojaat.core.errors import DomainError

from . import results_csv
from .models import (
    BranchReport,
    Election,
    ElectionResult,
    LawVersion,
    MembershipReport,
    Party,
    PartyEvent,
    Region,
    TieRuleChoice,
    VoteUnit,
)


def _translated(row: dict[str, Any], *fields: str) -> dict[str, str]:
    """The Uzbek (Latin, Cyrillic) and Russian columns of ``fields`` the data row gives."""
    return {
        f"{f}_{suffix}": row.get(f"{f}_{suffix}", "")
        for f in fields
        for suffix in ("uz", "uz_cyrl", "ru")
    }


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class LoadReport:
    created: Counter[str]
    updated: Counter[str]
    removed: Counter[str]

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated))
        parts = [f"{k}: {self.created[k]} new, {self.updated[k]} updated" for k in kinds]
        parts += [f"{k}: {n} removed" for k, n in sorted(self.removed.items()) if n]
        return ", ".join(parts)


@transaction.atomic
def parties_load_dataset(*, data: dict[str, Any]) -> LoadReport:
    """Create or update everything in ``data`` (the JSON format of data/kazakhstan.json)."""
    report = LoadReport(created=Counter(), updated=Counter(), removed=Counter())

    def count(kind: str, created: bool) -> None:
        (report.created if created else report.updated)[kind] += 1

    source = data.get("source", "")
    for r in data.get("regions", []):
        _, created = Region.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "is_city": r.get("is_city", False),
                "valid_from": _day(r.get("valid_from")),
                "valid_to": _day(r.get("valid_to")),
            },
        )
        count("regions", created)
    for law in data.get("laws", []):
        _, created = LawVersion.objects.update_or_create(
            title=law["title"],
            defaults={
                "enacted_on": _day(law["enacted_on"]),
                "effective_from": _day(law["effective_from"]),
                "effective_to": _day(law.get("effective_to")),
                "min_members": law["min_members"],
                "branches_in_all_regions": law.get("branches_in_all_regions", True),
                "min_branch_members": law.get("min_branch_members", 0),
                "date_precision": law.get("date_precision", "day"),
                "verified": law.get("verified", True),
                # Later versions are not in the seed: their rows name their own sources only.
                "source": law.get("source", "")
                if law.get("source", "").startswith("Not in the seed")
                else f"{source}; {law.get('source', '')}".strip("; "),
                "notes": law.get("notes", ""),
                **_translated(law, "title", "notes"),
            },
        )
        count("laws", created)
    parties: dict[str, Party] = {}
    for p in data.get("parties", []):
        parties[p["slug"]], created = Party.objects.update_or_create(
            slug=p["slug"],
            defaults={
                "name": p["name"],
                "short_name": p.get("short_name", ""),
                "kind": p.get("kind", "party"),
                "orientation": p.get("orientation", ""),
                "value_guidelines": p.get("value_guidelines", ""),
                "notes": p.get("notes", ""),
                "source": p.get("source", source),
                **_translated(p, "name", "notes"),
            },
        )
        count("parties", created)

    def party(slug: str) -> Party:
        if slug not in parties:
            try:
                parties[slug] = Party.objects.get(slug=slug)
            except Party.DoesNotExist:
                raise DomainError(f"The data names an unknown party {slug!r}.") from None
        return parties[slug]

    kept: set[int] = set()
    for e in data.get("events", []):
        event, created = PartyEvent.objects.update_or_create(
            party=party(e["party"]),
            kind=e["kind"],
            date=_day(e["date"]),
            related=party(e["related"]) if e.get("related") else None,
            defaults={
                "precision": e.get("precision", "day"),
                "note": e.get("note", ""),
                "inferred": e.get("inferred", False),
                "source": e.get("source", source),
            },
        )
        count("events", created)
        kept.add(event.pk)
    if source and "events" in data:
        # The file is the truth for its own rows: an event whose date or kind was corrected in
        # the file must not survive under its old key. Rows added by hand carry another source.
        stale = PartyEvent.objects.filter(source=source).exclude(pk__in=kept)
        report.removed["events"] = stale.count()
        stale.delete()
    for m in data.get("memberships", []):
        _, created = MembershipReport.objects.update_or_create(
            party=party(m["party"]),
            date=_day(m["date"]),
            defaults={"members": m["members"], "source": m.get("source", source)},
        )
        count("memberships", created)
    for b in data.get("branches", []):
        for code in b["regions"]:
            _, created = BranchReport.objects.update_or_create(
                party=party(b["party"]),
                region=Region.objects.get(code=code),
                date=_day(b["date"]),
                defaults={
                    "members": b.get("members"),
                    "is_open": b.get("is_open", True),
                    "source": b.get("source", source),
                },
            )
            count("branches", created)
    for el in data.get("elections", []):
        election, created = Election.objects.update_or_create(
            slug=el["slug"],
            defaults={
                "name": el["name"],
                "date": _day(el["date"]),
                "body": el.get("body", "Majilis"),
                "list_seats": el["list_seats"],
                "threshold": Decimal(el.get("threshold", "0")),
                "method": el.get("method", "hare"),
                "min_parties": el.get("min_parties", 0),
                "vote_unit": el.get("vote_unit", VoteUnit.COUNT),
                "votes_cast": Decimal(el["votes_cast"]) if el.get("votes_cast") else None,
                "tie_rule": el.get("tie_rule", TieRuleChoice.EARLIER_REGISTRATION),
                "registered_voters": el.get("registered_voters"),
                "ballots_cast": el.get("ballots_cast"),
                "valid_votes": el.get("valid_votes"),
                "turnout": Decimal(el["turnout"]) if el.get("turnout") else None,
                "notes": el.get("notes", ""),
                "source": el.get("source", "")
                if el.get("source", "").startswith("Not in the seed")
                else f"{source}; {el.get('source', '')}".strip("; "),
                **_translated(el, "name", "notes"),
            },
        )
        count("elections", created)
        kept_results: set[int] = set()
        for res in el.get("results", []):
            result, created = ElectionResult.objects.update_or_create(
                election=election,
                name=res["name"],
                defaults={
                    "party": party(res["party"]) if res.get("party") else None,
                    "votes": Decimal(res["votes"]),
                    "official_seats": res.get("official_seats"),
                    "registration_order": res.get("registration_order"),
                    "verified": res.get("verified", True),
                    "note": res.get("note", ""),
                },
            )
            count("results", created)
            kept_results.add(result.pk)
        # The file is the truth for a shipped election's lists (a list renamed in the file
        # must not survive under its old name).
        removed = election.results.exclude(pk__in=kept_results)
        report.removed["results"] += removed.count()
        removed.delete()
    return report


def _votes_cast_after_import(
    election: Election, unit: str, parsed: results_csv.Results
) -> Decimal | None:
    """The votes cast an election keeps after an import, checked against the new figures.

    A figure an admin entered (the turnout, when only some lists are published) survives an
    import in the same unit as long as it still covers the lists' votes; otherwise it would make
    the election's report impossible ("votes cast fewer than the lists"), so it is reset: to the
    sum of counts (stored as empty) or to 100% (the sum, when rounding took it a little over).
    """
    listed = sum(parsed.votes.values(), Decimal(0))
    kept = election.votes_cast
    if election.vote_unit == unit and kept is not None and kept >= listed:
        return kept
    return parsed.votes_cast if parsed.percent else None


@transaction.atomic
def election_import_results(*, election: Election, text: str, replace: bool = True) -> int:
    """Import a ``party,votes[,seats]`` file into ``election``; returns the number of lists.

    Lists are matched to registry parties by name or short name (case-insensitive). With
    ``replace``, lists absent from the file are removed; official seats of lists kept survive.
    Votes cast are re-checked on every import (``_votes_cast_after_import``). Raises
    ``DomainError`` naming the bad line.
    """
    try:
        parsed = results_csv.parse(text, with_seats=True)
    except results_csv.ResultsFileError as exc:
        raise DomainError(str(exc), code="bad_results_file") from None
    election = Election.objects.select_for_update().get(pk=election.pk)
    unit = VoteUnit.PERCENT if parsed.percent else VoteUnit.COUNT
    election.vote_unit, election.votes_cast = unit, _votes_cast_after_import(election, unit, parsed)
    election.save(update_fields=["vote_unit", "votes_cast"])
    by_name = {}
    for p in Party.objects.all():
        by_name.setdefault(p.name.casefold(), p)
        if p.short_name:
            by_name.setdefault(p.short_name.casefold(), p)
    if replace:
        election.results.exclude(name__in=list(parsed.votes)).delete()
    for name, votes in parsed.votes.items():
        defaults: dict[str, Any] = {"votes": votes, "party": by_name.get(name.casefold())}
        if name in parsed.seats:
            defaults["official_seats"] = parsed.seats[name]
        ElectionResult.objects.update_or_create(election=election, name=name, defaults=defaults)
    return len(parsed.votes)
