"""The monthly report (R-ORG-7) as an official document: one context for the page's figures,
the XLSX and the PDF (`murojaat.documents.render`), in the user's language."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from murojaat.appeals.models import AppealKind, Channel, FeedbackForm, Outcome, Topic, ViolationKind
from murojaat.control.models import MeasureKind
from murojaat.documents import render
from murojaat.orgs.models import District, Region
from murojaat.receptions.models import SessionKind

from . import monthly

# Columns that count appeals (a drill-down lists them); the rest count records.
APPEAL_COLUMNS = frozenset(
    {
        "received",
        "routed",
        "returned",
        "accepted_late",
        "on_time",
        "late",
        "extended",
        "in_work",
        "overdue",
        "closed",
        *Outcome.values,
        "feedback",
        "refusal_acts",
        "violations",
        "excused",
        "confirmed",
    }
)


def column_labels() -> dict[str, str]:
    labels = {
        "received": pgettext("count of appeals", "Received"),
        "routed": _("Routed or forwarded"),
        "returned": _("Returned"),
        "accepted_late": _("Accepted late"),
        "on_time": _("Answered on time"),
        "late": _("Answered late"),
        "extended": _("Extended"),
        "in_work": _("In work at the end of the month"),
        "overdue": _("Overdue at the end of the month"),
        "closed": _("Closed"),
        "feedback": _("Author's feedback forms"),
        "refusal_acts": _("Refusal acts"),
        "violations": _("Violations"),
        "excused": _("Delays excused"),
        "confirmed": _("Violations confirmed"),
        "measures": _("Disciplinary measures"),
        "receptions": _("Receptions held"),
        "visitors": _("Visitors received"),
    }
    labels.update({value: str(label) for value, label in Outcome.choices})
    return {c: labels[c] for c in monthly.COLUMNS}


def month_title(year: int, month: int) -> str:
    return date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def place_title(figures: monthly.MonthlyFigures) -> str:
    flt = figures.flt
    if flt.district_id:
        district = District.objects.filter(pk=flt.district_id).first()
        return _("District: %(name)s") % {"name": district.name if district else "?"}
    if flt.region_id:
        region = Region.objects.filter(pk=flt.region_id).first()
        return _("Region: %(name)s") % {"name": region.name if region else "?"}
    return ""


def _breakdown_labels(name: str) -> dict[str, str]:
    choices = {
        "channel": Channel.choices,
        "kind": AppealKind.choices,
        "feedback": FeedbackForm.choices,
        "violation": ViolationKind.choices,
        "measure": MeasureKind.choices,
        "reception": SessionKind.choices,
    }.get(name)
    if choices is not None:
        return {value: str(label) for value, label in choices}
    if name == "topic":
        return {t.code: t.name for t in Topic.objects.all()}
    return {}


def breakdown_titles() -> dict[str, str]:
    return {
        "channel": _("Received by channel"),
        "kind": _("Received by kind"),
        "topic": _("Received by topic"),
        "feedback": _("Author's feedback forms (R-P2-8)"),
        "violation": _("Violations by kind"),
        "measure": _("Disciplinary measures by kind"),
        "reception": _("Receptions by kind"),
    }


Breakdown = tuple[str, str, list[tuple[str, str, int]]]


def breakdowns(figures: monthly.MonthlyFigures) -> list[Breakdown]:
    """(name, title, [(key, label, count)]) for every breakdown with figures, largest first."""
    result = []
    for name, title in breakdown_titles().items():
        counts = figures.breakdowns.get(name, {})
        if not counts:
            continue
        labels = _breakdown_labels(name)
        rows = sorted(
            ((key, labels.get(key, key) or _("Not stated"), n) for key, n in counts.items()),
            key=lambda r: (-r[2], r[1]),
        )
        result.append((name, title, rows))
    return result


def monthly_document(figures: monthly.MonthlyFigures, scope_title: str) -> render.Report:
    labels = column_labels()
    flow = list(monthly.COLUMNS[: monthly.COLUMNS.index("closed") + 1])
    results = [c for c in monthly.COLUMNS if c not in flow]
    tables = []
    # Two tables of 10 and 13 columns, not one of 23: an A4 landscape page keeps the headers
    # readable.
    for title, columns in (
        (_("Figures by organisation"), flow),
        (_("Outcomes, feedback and discipline by organisation"), results),
    ):
        tables.append(
            render.Table(
                title=title,
                headers=[_("Organisation"), *[labels[c] for c in columns]],
                rows=[[r.org.name, *[r.n(c) for c in columns]] for r in figures.rows],
                totals=[
                    pgettext("monthly report", "Total, each appeal once"),
                    *[figures.totals[c] for c in columns],
                ],
                first_width=3.5,
            )
        )
    for _name, title, parts in breakdowns(figures):
        tables.append(
            render.Table(
                title=title,
                headers=[_("Item"), _("Count")],
                rows=[[label, n] for _key, label, n in parts],
                first_width=5.0,
            )
        )
    if figures.is_closed and figures.record is not None:
        closed_at = timezone.localtime(figures.record.closed_at)
        state = _("Closed month: figures frozen on %(date)s.") % {
            "date": date_format(closed_at, "SHORT_DATETIME_FORMAT")
        }
    else:
        state = _("Month not closed yet: figures as of %(date)s.") % {
            # The provisional snapshot's time when the figures come from one.
            "date": date_format(timezone.localtime(figures.as_of), "SHORT_DATETIME_FORMAT")
        }
    place = place_title(figures)
    return render.Report(
        title=_("Monthly report on appeals (R-ORG-7)"),
        organisation=scope_title + (f" · {place}" if place else ""),
        period=month_title(figures.year, figures.month),
        generated=state,
        tables=tables,
        charts=[
            render.Chart(title=title, labels=[p[1] for p in parts], values=[p[2] for p in parts])
            for name, title, parts in breakdowns(figures)
            if name in ("channel", "topic")
        ],
        signatures=[_("Responsible officer"), _("Head of the organisation")],
        notes=[
            _(
                "Received: appeals registered (whole ministry) or sent to the organisation in "
                "the month. Answered: answers sent out (whole ministry) or submitted upwards in "
                "the month, against the due date they had then. In work and overdue: at the end "
                "of the month. Outcomes are counted per issue (L-9). Each appeal counts once in "
                "a total."
            )
        ],
        page_label=_("Page {page} of {pages}"),
        sign_label=_("(signature)"),
    )
