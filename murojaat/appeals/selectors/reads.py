"""Who read an appeal (issue 10): the auditors' panel on the appeal's page.

Only auditors see it: reading the trace is the auditors' job (ASVS V7), and the people being
traced (executors, heads, the working group) do not get to watch each other. The panel is
bounded: one page of the newest reads, paged back by id (a keyset on the
`appealread_appeal_newest` index), never a count or an offset over every read.

For everyone else the panel costs nothing: `sees_reads` asks only the user's roles, which the
page has already read.
"""

from __future__ import annotations

from dataclasses import dataclass

from murojaat.accounts.models import Role, User

from ..models import Appeal, AppealRead

READS_PER_PAGE = 20


def sees_reads(user: User) -> bool:
    """Auditors read the trace of reads; nobody else (not even the working group)."""
    return user.is_authenticated and user.has_role(Role.AUDITOR)


@dataclass(frozen=True)
class ReadsPanel:
    rows: list[AppealRead]
    # The id to page back from (`?reads_before=`), None on the last page.
    older_before: int | None
    # Whether this is a page back (the panel then links to the newest reads).
    paged: bool


def reads_panel(user: User, appeal: Appeal, *, before: int | None = None) -> ReadsPanel | None:
    """The newest reads of `appeal` (older than the read `before`, when paging back); None for
    whoever may not see them (no query)."""
    if not sees_reads(user):
        return None
    qs = AppealRead.objects.filter(appeal=appeal)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(
        qs.select_related("reader", "reader_org", "document", "assignment__org").order_by("-pk")[
            : READS_PER_PAGE + 1
        ]
    )
    older = rows[READS_PER_PAGE - 1].pk if len(rows) > READS_PER_PAGE else None
    return ReadsPanel(rows=rows[:READS_PER_PAGE], older_before=older, paged=before is not None)
