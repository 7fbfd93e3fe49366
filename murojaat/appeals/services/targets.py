"""Who may receive an appeal at each hop: one queryset per rule, asked by the service that
guards the hop and by the form that offers the choice, so the two cannot drift.

- `routable_orgs`: the working group routes to stage-2/3 receivers and the Inspectorate (R-P2-2);
- `forward_targets`: an assignment goes down the tree only, or from a regional directorate to
  the district associations of its region (R-P2-6);
- `co_executor_targets`: co-executors work at the lead's stage (R-P2-5).

Each excludes the body a complaint is about (L-4): the service still says so in its own words
(`complained_about`) when such a choice arrives, e.g. from a form rendered before it was named.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from murojaat.orgs.models import Organisation, OrgKind

from ..models import Appeal, Assignment

# Organisations the working group routes to (R-P2-2): stage 2 and 3 receivers and the Inspectorate.
ROUTABLE_KINDS = {
    OrgKind.MAIN_DIRECTORATE,
    OrgKind.CENTRE,
    OrgKind.REGIONAL_DIRECTORATE,
    OrgKind.INSPECTORATE,
    OrgKind.INSPECTORATE_DIVISION,
}


def _without_complained_about(qs: QuerySet[Organisation], appeal: Appeal) -> QuerySet[Organisation]:
    if appeal.complaint_against_id is not None:
        qs = qs.exclude(pk=appeal.complaint_against_id)
    return qs


def routable_orgs(appeal: Appeal | None = None) -> QuerySet[Organisation]:
    """R-P2-2: where the working group sends an appeal (lead or co-executor)."""
    qs: QuerySet[Organisation] = Organisation.objects.filter(
        kind__in=ROUTABLE_KINDS, is_active=True
    )
    if appeal is not None:
        qs = _without_complained_about(qs, appeal)
    return qs.order_by("kind", "path")


def forward_targets(assignment: Assignment) -> QuerySet[Organisation]:
    """R-P2-6: below the assignment's organisation, or a regional directorate's district
    associations of its region; never the organisation itself."""
    org = assignment.org
    condition = Q(path__startswith=org.path)
    if org.kind == OrgKind.REGIONAL_DIRECTORATE and org.region_id:
        condition |= Q(kind=OrgKind.ASSOCIATION, region_id=org.region_id)
    qs = Organisation.objects.filter(condition, is_active=True).exclude(pk=org.pk)
    return _without_complained_about(qs, assignment.appeal).order_by("path")


def co_executor_targets(assignment: Assignment) -> QuerySet[Organisation]:
    """R-P2-5: organisations of the lead's stage (other main directorates, other centres), not
    the lead itself and not the working group."""
    org = assignment.org
    qs = (
        Organisation.objects.filter(stage=org.stage, is_active=True)
        .exclude(pk=org.pk)
        .exclude(kind=OrgKind.WORKING_GROUP)
    )
    return _without_complained_about(qs, assignment.appeal).order_by("kind", "path")


def may_receive(targets: QuerySet[Organisation], org: Organisation) -> bool:
    """The service's check of a chosen organisation against the rule's queryset."""
    return targets.filter(pk=org.pk).exists()
