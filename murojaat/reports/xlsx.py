"""XLSX workbooks of the dashboard tables and the monthly report (openpyxl)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.utils.formats import date_format, get_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .selectors import Dashboard


def _sheet_title(text: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


# Django's date format characters that have an Excel equivalent; anything else falls back to ISO.
EXCEL_DATE_PARTS = {"d": "DD", "j": "D", "m": "MM", "n": "M", "Y": "YYYY", "y": "YY"}


def excel_date_format() -> str:
    """The active language's SHORT_DATE_FORMAT as an Excel number format, so a date cell reads
    the same as the pages (12/02/2026 in English, 02.12.2026 in Russian)."""
    fmt = get_format("SHORT_DATE_FORMAT")
    if any(c.isalpha() and c not in EXCEL_DATE_PARTS for c in fmt) or "\\" in fmt:
        return "YYYY-MM-DD"
    return "".join(EXCEL_DATE_PARTS.get(c, c) for c in fmt)


def short_date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    ws.append(list(header))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for index, title in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(title) + 4))
    ws.column_dimensions["A"].width = 50
    ws.freeze_panes = "A2"


def dashboard_workbook(data: Dashboard, scope_title: str, labels: dict[str, str]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(_("Summary"))
    ws.append([_("Scope"), scope_title])
    ws.append([_("Period"), f"{short_date(data.period.start)} – {short_date(data.period.end)}"])
    ws.append([_("Date"), data.today])
    ws.cell(row=3, column=2).number_format = excel_date_format()
    if data.as_of is not None:
        # The figures were counted then (reports.selectors.dashboard), not when the file was made.
        ws.append([_("Figures as of"), localtime(data.as_of).replace(tzinfo=None)])
        ws.cell(row=4, column=2).number_format = "yyyy-mm-dd hh:mm:ss"
    ws.append([])
    s = data.summary
    _table(
        ws,
        [_("Figure"), _("Value")],
        [(labels[key], s[key]) for key in ("today", "month", "backlog", "open", "overdue")],
    )
    ws.freeze_panes = None

    _table(
        wb.create_sheet(_sheet_title(_("Overdue"))),
        [_("Organisation"), _("Overdue assignments")],
        [(f.org.name, f.n("overdue")) for f in data.overdue],
    )
    _table(
        wb.create_sheet(_sheet_title(_("On time"))),
        [_("Organisation"), _("Answered"), _("On time"), _("On time, %")],
        [
            (
                f.org.name,
                f.n("answered"),
                f.n("on_time"),
                round(f.on_time_rate, 1) if f.on_time_rate is not None else None,
            )
            for f in data.on_time
        ],
    )
    _table(
        wb.create_sheet(_sheet_title(_("Topics"))),
        [_("Topic"), _("Appeals")],
        [(b.label, b.count) for b in data.topics],
    )
    _table(
        wb.create_sheet(_sheet_title(_("Channels"))),
        [_("Channel"), _("Appeals")],
        [(b.label, b.count) for b in data.channels],
    )
    _table(
        wb.create_sheet(_sheet_title(_("Regions"))),
        [_("Region"), _("Appeals")],
        [(b.label or _("Region not stated"), b.count) for b in data.regions],
    )
    return wb


def monthly_headers() -> list[str]:
    """The monthly report's column headers (R-ORG-7), as the XLSX and PDF write them."""
    from .official import column_labels

    return list(column_labels().values())
