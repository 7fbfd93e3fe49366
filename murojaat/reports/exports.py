"""Report files: built from the same context for the page, the XLSX and the PDF, synchronously
for a quick download or in the background (`ExportJob`, Celery) with progress."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from murojaat.accounts.models import User
from murojaat.documents import render

from . import monthly, official, selectors
from .models import ExportJob, ExportState

log = logging.getLogger(__name__)

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class MonthlyParams:
    year: int
    month: int
    region_id: int | None = None
    district_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "region_id": self.region_id,
            "district_id": self.district_id,
        }


def monthly_filter(scope: selectors.Scope, params: MonthlyParams) -> monthly.Filter:
    return monthly.Filter(
        org_path=scope.org.path if scope.org is not None else None,
        region_id=params.region_id,
        district_id=params.district_id,
    )


def monthly_file(user: User, params: MonthlyParams, fmt: str) -> tuple[bytes, str]:
    """The monthly report of the user's scope as a file, and its name."""
    scope = selectors.scope_for(user)
    if scope is None:
        raise PermissionError("no scope")
    figures = monthly.monthly_figures(params.year, params.month, monthly_filter(scope, params))
    document = official.monthly_document(figures, scope_title(scope))
    content = render.report_pdf(document) if fmt == "pdf" else render.report_xlsx(document)
    return content, f"murojaat-monthly-{params.year:04d}-{params.month:02d}.{fmt}"


def scope_title(scope: selectors.Scope) -> str:
    from django.utils.translation import gettext as _

    return _("Whole ministry") if scope.org is None else scope.org.name


def start_export(user: User, params: MonthlyParams, fmt: str, language: str) -> ExportJob:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    job = ExportJob.objects.create(
        user=user, kind="monthly", fmt=fmt, params=params.as_dict(), language=language
    )
    from .tasks import build_export

    transaction.on_commit(lambda: build_export.delay(job.pk))
    return job


def _progress(job_id: int, **fields: Any) -> None:
    ExportJob.objects.filter(pk=job_id).update(**fields)


def run_export(job_id: int) -> str:
    """Idempotent: a job already done (a retried task) is left as it is."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.state == ExportState.DONE:
        return job.state
    _progress(job_id, state=ExportState.RUNNING, progress=10)
    try:
        params = MonthlyParams(**job.params)
        with translation.override(job.language):
            content, name = monthly_file(job.user, params, job.fmt)
        _progress(job_id, progress=80)
        job.file.save(name, ContentFile(content), save=False)
        job.filename = name
        job.state = ExportState.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "filename", "state", "progress", "finished_at"])
    except Exception as err:  # the user must learn it failed, not wait forever
        log.exception("report export %s failed", job_id)
        _progress(
            job_id, state=ExportState.FAILED, error=str(err)[:1000], finished_at=timezone.now()
        )
    return ExportState.DONE
