"""What an API client may read: only the appeals it sent (everything else is 404)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from murojaat.appeals.models import Appeal
from murojaat.appeals.selectors import appeals_of_source
from murojaat.core.errors import NotFound

from .models import ApiClient, OutboxMessage


def find_appeal_of_client(client: ApiClient, external_id: str) -> Appeal | None:
    """The client's own appeal with this id, or None: never another client's (scoped by
    construction; a clash with another client's id is the intake's to report)."""
    return (
        appeals_of_source(client)
        .select_related("procedure")
        .filter(external_id=external_id)
        .first()
    )


def has_appeal_of_client(client: ApiClient, external_id: str) -> bool:
    """Whether this client already sent this id: one narrow index probe (no wide row, no join
    to plan), the registration's common path; the appeal is read only on a retry."""
    return appeals_of_source(client).filter(external_id=external_id).exists()


def get_appeal_of_client(client: ApiClient, external_id: str) -> Appeal:
    """The same 404 for "no such id" and "another client's appeal" (no existence oracle)."""
    appeal = find_appeal_of_client(client, external_id)
    if appeal is None:
        raise NotFound(_("No appeal with this id was received from your system."))
    return appeal


def outbox_messages(
    *, state: str = "", client_id: int | None = None, kind: str = "", query: str = ""
) -> QuerySet[OutboxMessage]:
    qs = OutboxMessage.objects.select_related("client", "appeal").order_by("-created_at", "-pk")
    if state:
        qs = qs.filter(state=state)
    if client_id:
        qs = qs.filter(client_id=client_id)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(appeal__number__icontains=query) | qs.filter(
            appeal__external_id__icontains=query
        )
    return qs


def outbox_counts() -> dict[str, int]:
    """Messages per state, for the outbox page's summary (one GROUP BY)."""
    rows = OutboxMessage.objects.values_list("state").annotate(n=Count("pk"))
    return dict(rows.values_list("state", "n"))
