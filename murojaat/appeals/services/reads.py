"""Reads leave a trace (issue 10; L-10, ASVS V7): every staff view of an appeal's page and
every download of its documents is one append-only row, written before the content is sent.

One INSERT per read and nothing else: no lock, no event (a read changes nothing in the
appeal's life, so it stays out of the timeline and the reports). If the row cannot be written
the read fails with it: a read the trace does not know of would be worse than an error.
"""

from __future__ import annotations

from murojaat.accounts.models import User

from ..models import Appeal, AppealRead, Assignment, Document, ReadKind


def record_read(
    *,
    reader: User,
    appeal: Appeal,
    kind: ReadKind,
    document: Document | None = None,
    assignment: Assignment | None = None,
    ip: str | None = None,
) -> AppealRead:
    return AppealRead.objects.create(
        appeal=appeal,
        reader=reader,
        reader_org_id=reader.organisation_id,
        kind=kind,
        document=document,
        assignment=assignment,
        ip=ip,
    )


def record_reads(
    *, reader: User, appeals: list[Appeal], kind: ReadKind, ip: str | None = None
) -> None:
    """Several appeals read on one page (the duplicate comparison): still one INSERT."""
    AppealRead.objects.bulk_create(
        [
            AppealRead(
                appeal=appeal, reader=reader, reader_org_id=reader.organisation_id, kind=kind, ip=ip
            )
            for appeal in appeals
        ]
    )
