"""Every read of the assistants' findings, scoped like the appeals they are about.

A finding is shown only with appeals the user may open (`appeals.selectors.appeals_visible_to`):
a duplicate pair needs both appeals visible, a campaign lists only the visible letters, a
surge is an aggregate the working group and auditors see, and a regional body sees its own
region's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    OuterRef,
    QuerySet,
    prefetch_related_objects,
)

from murojaat.accounts.models import User
from murojaat.appeals.models import Appeal, AppealState
from murojaat.appeals.permissions import is_working_group
from murojaat.appeals.selectors import appeals_visible_to, sees_everything

from .models import (
    Campaign,
    CampaignMember,
    CandidateState,
    DuplicateCandidate,
    FlagState,
    Surge,
    UrgentFlag,
)


def uncleared_flags() -> QuerySet[UrgentFlag]:
    """Flags the group has not cleared: what makes an appeal urgent (one home for the rule)."""
    return UrgentFlag.objects.exclude(state=FlagState.CLEARED)


def urgent_q() -> Exists:
    """The appeal carries a flag the group has not cleared."""
    return Exists(uncleared_flags().filter(appeal=OuterRef("pk")))


def urgent_first(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The routing queue, urgent appeals on top, in the order it had otherwise."""
    order = list(qs.query.order_by) or ["-received_at"]
    return qs.annotate(is_urgent=urgent_q()).order_by("-is_urgent", *order)


class FlaggedIds(Expression):
    """The appeal carries a flag the group has not cleared, as a condition PostgreSQL answers
    by probing the flagged appeals' keys: `id = ANY(ARRAY(SELECT appeal_id ...))`, the ids
    read once before the scan. As an EXISTS or an `IN (SELECT ...)` semi-join, PostgreSQL took
    the flags' tiny estimate for a merge join that walked the appeals' primary key from the
    first appeal ever up to the newest flagged one (0.8 s at 1M appeals, issue 9). SQLite (no
    arrays) keeps the plain `IN (SELECT ...)`."""

    output_field = BooleanField()
    conditional = True

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        query = uncleared_flags().order_by().values("appeal_id").query
        ids, params = query.get_compiler(connection=connection).as_sql()
        if connection.vendor == "postgresql":
            return f"{alias}.id = ANY(ARRAY({ids}))", list(params)
        return f"{alias}.id IN ({ids})", list(params)


class UrgentFirst:
    """`urgent_first(qs)` read a page at a time without sorting the whole queue (issue 9).

    Sorting by "carries an open flag" first put an EXISTS in front of the ORDER BY, so
    PostgreSQL read, joined and sorted every new appeal to show 25. The same order is two
    reads: the flagged appeals (a handful) in `qs`'s order, then the others in `qs`'s order,
    which PostgreSQL reads off the `(state, due_date)` index and stops at the page. The
    Paginator slices this object; its `count` comes from the tab. Queries per page: one per
    group the page touches (a third, a COUNT of the flagged, only on a page past them all),
    plus one for the topics (`prefetch`)."""

    ordered = True

    def __init__(self, qs: QuerySet[Appeal], prefetch: tuple[str, ...] = ()) -> None:
        self.qs = qs.prefetch_related(None)
        self.prefetch = prefetch

    def __getitem__(self, index: slice) -> list[Appeal]:
        if not isinstance(index, slice) or index.step is not None:  # pragma: no cover
            raise TypeError("UrgentFirst is read by pages")
        start, stop = index.start or 0, index.stop
        assert stop is not None
        flagged = self.qs.filter(FlaggedIds())
        page: list[Appeal] = list(flagged[start:stop])
        for appeal in page:
            appeal.is_urgent = True  # type: ignore[attr-defined]
        if len(page) < stop - start:
            # Flagged before this page: exactly `start + len(page)` when the page holds some.
            n_flagged = start + len(page) if page or start == 0 else flagged.count()
            rest_start = max(0, start - n_flagged)
            rest = list(
                self.qs.exclude(urgent_q())[rest_start : rest_start + (stop - start) - len(page)]
            )
            for appeal in rest:
                appeal.is_urgent = False  # type: ignore[attr-defined]
            page += rest
        if self.prefetch:
            prefetch_related_objects(page, *self.prefetch)
        return page


def open_flags(user: User) -> QuerySet[UrgentFlag]:
    """Flags awaiting the group's decision, on appeals the user sees, soonest clock first."""
    if not is_working_group(user) and not sees_everything(user):
        return UrgentFlag.objects.none()
    return (
        UrgentFlag.objects.filter(state=FlagState.OPEN, appeal__in=appeals_visible_to(user))
        .select_related("appeal")
        .order_by("route_by", "pk")
    )


def urgent_awaiting_routing(user: User) -> QuerySet[UrgentFlag]:
    return (
        UrgentFlag.objects.exclude(state=FlagState.CLEARED)
        .filter(appeal__state=AppealState.NEW, appeal__in=appeals_visible_to(user))
        .select_related("appeal")
        .order_by("route_by", "pk")
    )


def open_duplicates(user: User) -> QuerySet[DuplicateCandidate]:
    if not is_working_group(user) and not sees_everything(user):
        return DuplicateCandidate.objects.none()
    visible = appeals_visible_to(user)
    return (
        DuplicateCandidate.objects.filter(
            state=CandidateState.OPEN, appeal__in=visible, original__in=visible
        )
        .select_related("appeal", "original")
        .order_by("-found_at", "-similarity")
    )


def surges_for(user: User) -> QuerySet[Surge]:
    """The working group and auditors see every surge; a regional body its region's; the rest
    none (a surge names a district and a topic, not an appeal, but it is still their business)."""
    qs = Surge.objects.select_related("topic", "district", "district__region")
    if sees_everything(user) or is_working_group(user):
        return qs
    org = getattr(user, "organisation", None)
    if org is None or org.region_id is None:
        return qs.none()
    return qs.filter(district__region_id=org.region_id)


@dataclass
class CampaignView:
    campaign: Campaign
    letters: int
    authors: int
    signatories: int
    open_letters: int
    visible: list[Appeal] = field(default_factory=list)


def campaign_view(user: User, campaign: Campaign) -> CampaignView:
    """One case, counted honestly: letters, distinct authors, signatories; only visible letters
    are listed."""
    from .services import same_author

    members = [m.appeal for m in campaign.members.select_related("appeal")]
    authors: list[Appeal] = []
    for a in members:
        if not any(same_author(a, b) for b in authors):
            authors.append(a)
    visible_ids = set(
        appeals_visible_to(user).filter(pk__in=[a.pk for a in members]).values_list("pk", flat=True)
    )
    return CampaignView(
        campaign=campaign,
        letters=len(members),
        authors=len(authors),
        signatories=sum(a.signatories for a in members),
        open_letters=sum(1 for a in members if a.state == AppealState.NEW),
        visible=[a for a in members if a.pk in visible_ids],
    )


def campaigns_for(user: User) -> list[CampaignView]:
    if not is_working_group(user) and not sees_everything(user):
        return []
    visible = appeals_visible_to(user)
    qs = Campaign.objects.filter(lead__in=visible).select_related("lead")[:50]
    return [campaign_view(user, c) for c in qs]


def campaign_for_appeal(user: User, appeal: Appeal) -> CampaignView | None:
    member = CampaignMember.objects.filter(appeal=appeal).select_related("campaign").first()
    if member is None:
        return None
    return campaign_view(user, member.campaign)


def duplicates_for_appeal(user: User, appeal: Appeal) -> list[DuplicateCandidate]:
    """The pairs shown on an appeal's page: only to the group, and only with visible originals."""
    if not is_working_group(user):
        return []
    visible = appeals_visible_to(user)
    return list(
        DuplicateCandidate.objects.filter(
            appeal=appeal, state=CandidateState.OPEN, original__in=visible
        ).select_related("original")
    )


ALERTS_CACHE = "assist:alert-counts"


def alert_counts(user: User) -> dict[str, Any]:
    """What the working group's alert banner counts. The group and auditors see every appeal,
    so the counts are the same for all of them: cached briefly in the shared cache, dropped by
    every service that adds or decides a finding (`services.alerts_changed`)."""
    if not is_working_group(user) and not sees_everything(user):
        return {"total": 0}
    cached = cache.get(ALERTS_CACHE)
    if cached is not None:
        return dict(cached)
    counts = {
        "urgent": open_flags(user).count(),
        "duplicates": open_duplicates(user).count(),
        "surges": surges_for(user).filter(acknowledged_at__isnull=True).count(),
    }
    counts["total"] = sum(counts.values())
    cache.set(ALERTS_CACHE, counts, 60)
    return counts
