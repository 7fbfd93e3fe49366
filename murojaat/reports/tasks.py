"""Background jobs of the reports: closing months and building long exports (Celery)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="murojaat.reports.tasks.close_months")
def close_months() -> int:
    """Daily: freeze every month that has ended and is not closed yet (R-ORG-7, issue 9)."""
    from .monthly import close_month, months_to_close

    months = months_to_close()
    for year, month in months:
        close_month(year, month)
    return len(months)


@shared_task(name="murojaat.reports.tasks.refresh_running_month")
def refresh_running_month() -> str:
    """Every REPORTS_SNAPSHOT_MINUTES: count the running month's provisional figures (and close
    a month that ended since its last snapshot)."""
    from .monthly import refresh_running_month as refresh

    record = refresh()
    return str(record) if record is not None else ""


@shared_task(name="murojaat.reports.tasks.build_export")
def build_export(job_id: int) -> str:
    """Prepare one report file; the page polls the job's progress and offers the file."""
    from .exports import run_export

    return run_export(job_id)


@shared_task(name="murojaat.reports.tasks.recount_dashboard")
def recount_dashboard(user_id: int, today: str, start: str, end: str) -> str:
    """Count a dashboard again for the scope this user reads (the first reader who found the
    cached copy stale asked for it), so the next readers see fresh figures without waiting."""
    from datetime import date

    from murojaat.accounts.models import User

    from . import selectors

    user = User.objects.filter(pk=user_id, is_active=True).first()
    scope = selectors.scope_for(user) if user is not None else None
    if scope is None:
        return ""
    period = selectors.Period(date.fromisoformat(start), date.fromisoformat(end))
    counted = selectors.recount_dashboard(scope, date.fromisoformat(today), period)
    return f"{selectors.scope_key(scope)} as of {counted.as_of.isoformat()}"
