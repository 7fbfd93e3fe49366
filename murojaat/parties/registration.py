"""Registration requirements of a law on political parties, checked on plain figures (K-2).

Pure: the caller (``selectors.registration_check``) gathers the figures in force on a date; this
module only compares them with the law's numbers and explains every requirement, met or not. A
figure the registry does not have gives ``met=None`` ("unknown"), never a guess: the article gives
Otan's 150,000 members in 16 regional organisations (1999) but no member count per branch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LawRules:
    title: str
    min_members: int
    branches_in_all_regions: bool
    min_branch_members: int


@dataclass(frozen=True)
class Figures:
    """What the registry knows about a party on a date; ``None`` means no report."""

    members: int | None
    members_as_of: date | None
    branch_members: Mapping[str, int | None]  # open branches by region name
    required_regions: Sequence[str]
    closed_regions: Sequence[str] = ()  # regions whose latest report says the branch closed


@dataclass(frozen=True)
class Requirement:
    code: str
    label: str | Promise
    required: str
    actual: str
    met: bool | None
    details: list[str] = field(default_factory=list)


def check(rules: LawRules, figures: Figures) -> list[Requirement]:
    """Each requirement of ``rules`` with the figures and whether it is met (None: unknown)."""
    out = [
        Requirement(
            code="members",
            label=_("Members"),
            required=f">= {rules.min_members:,}",
            actual="—" if figures.members is None else f"{figures.members:,}",
            met=None if figures.members is None else figures.members >= rules.min_members,
            details=[gettext("as of %(day)s") % {"day": figures.members_as_of.isoformat()}]
            if figures.members_as_of
            else [],
        )
    ]
    if rules.branches_in_all_regions:
        # A region is missing only when a report says its branch closed; a region no report
        # mentions is unknown (the registry lacks the figure), never counted as a failure.
        closed = [r for r in figures.required_regions if r in figures.closed_regions]
        unreported = [
            r
            for r in figures.required_regions
            if r not in figures.branch_members and r not in figures.closed_regions
        ]
        present = len(figures.required_regions) - len(closed) - len(unreported)
        if closed:
            branches_met: bool | None = False
        elif unreported or not figures.required_regions:
            branches_met = None
        else:
            branches_met = True
        out.append(
            Requirement(
                code="branches",
                label=_("Branches in every region and in the cities of republican status"),
                required=str(len(figures.required_regions)),
                actual=str(present)
                if not unreported
                else gettext("%(n)s known, %(u)s without data")
                % {"n": present, "u": len(unreported)},
                met=branches_met,
                details=[gettext("missing: %(region)s") % {"region": r} for r in closed]
                + (
                    [gettext("no branch reports in the registry")]
                    if len(unreported) == len(figures.required_regions)
                    else [gettext("no data: %(region)s") % {"region": r} for r in unreported]
                ),
            )
        )
    if rules.min_branch_members:
        known = {r: m for r, m in figures.branch_members.items() if m is not None}
        below = sorted(r for r, m in known.items() if m < rules.min_branch_members)
        unknown = sorted(r for r, m in figures.branch_members.items() if m is None)
        if below:
            met: bool | None = False
        elif unknown or set(figures.required_regions) - set(known):
            met = None
        else:
            met = True
        smallest = min(known.values()) if known else None
        out.append(
            Requirement(
                code="branch_members",
                label=_("Members in each regional branch"),
                required=f">= {rules.min_branch_members:,}",
                actual="—" if smallest is None else gettext("min %(n)s") % {"n": f"{smallest:,}"},
                met=met,
                details=[f"{r}: {known[r]:,}" for r in below]
                + [gettext("%(region)s: no figure") % {"region": r} for r in unknown]
                + (
                    [gettext("no branch membership figures in the registry")]
                    if not known and not unknown
                    else []
                ),
            )
        )
    return out


def missing(requirements: Sequence[Requirement]) -> list[str]:
    """What the registry would need to decide: one line per unknown requirement."""
    return [f"{r.label}: {'; '.join(r.details) or '—'}" for r in requirements if r.met is None]


def overall(requirements: Sequence[Requirement]) -> bool | None:
    """False if any requirement fails, None if none fails but some are unknown, else True."""
    if any(r.met is False for r in requirements):
        return False
    if any(r.met is None for r in requirements):
        return None
    return True
