"""The dashboard, its XLSX export and the monthly report as pages."""

from __future__ import annotations

import json
import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from murojaat.appeals.models import Appeal
from murojaat.reports import xlsx
from tests.factories import Ministry, make_user
from tests.reports.bulk import make_appeals
from tests.reports.scenario import TODAY, Scenario, at, build

pytestmark = pytest.mark.django_db

LANGUAGES = ["uz", "uz-cyrl", "ru", "en"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pages() -> list[str]:
    return [
        reverse("reports:dashboard"),
        reverse("reports:dashboard") + "?date_from=2026-11-01&date_to=2026-11-30",
        reverse("reports:export"),
        reverse("reports:monthly"),
        reverse("reports:monthly") + "?month=2026-11",
        reverse("reports:monthly_export") + "?month=2026-11",
        reverse("reports:monthly_export_pdf") + "?month=2026-11",
        reverse("reports:discipline"),
    ]


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def get(client, user, url, **params):
    with at(TODAY):
        client.force_login(user)
        response = client.get(url, params)
    assert response.status_code == 200, url
    return response


def test_anonymous_users_are_sent_to_sign_in(client, ministry: Ministry) -> None:
    for url in pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_staff_without_an_organisation_get_403(client, ministry: Ministry) -> None:
    loner = make_user("loner", None)
    client.force_login(loner)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_the_dashboard_shows_figures_as_charts_and_tables(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = get(client, ministry.wg_member, reverse("reports:dashboard"), date_from="2026-11-01")
    html = response.content.decode()
    assert "Whole ministry" in html
    assert "vendor/chart.umd.min.js" in html
    data = json.loads(
        html.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    )
    assert dict(zip(data["channels"]["labels"], data["channels"]["values"], strict=True)) == {
        "President's Virtual Reception": 4,
        "Minister's Virtual Reception": 2,
    }
    # The same numbers as an accessible table, each a link to the appeals behind it.
    assert re.search(
        r'<th scope="row" class="fw-normal">Toshkent viloyati</th><td class="text-end">'
        r'<a href="/appeals/inbox/\?tab=all&amp;date_from=2026-11-01&amp;date_to=2026-11-18'
        r'&amp;region=\d+">4</a></td>',
        html,
    )
    assert 'role="img"' in html
    # The on-time table: organisation, answered, on time, rate.
    assert (
        '<tr><th scope="row" class="fw-normal">md-treatment</th>\n'
        '              <td class="text-end">1</td>\n'
        '              <td class="text-end"><a href="/appeals/inbox/?tab=all'
        '&amp;date_from=2026-11-01&amp;date_to=2026-11-18&amp;org=md-treatment">1</a></td>\n'
        '              <td class="text-end">100.0</td></tr>'
    ) in html
    assert response.context["data"].summary["backlog"] == 3


def test_a_head_s_dashboard_covers_the_own_subtree(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    html = get(client, ministry.regional_head, reverse("reports:dashboard")).content.decode()
    assert "rd-1727" in html  # the scope title is the organisation's name
    assert "Samarqand" not in html
    # An organisation's backlog is what its subtree has still to accept, not appeals to route.
    assert "Awaiting acceptance" in html and "Awaiting routing" not in html
    # Its intake is what was sent into the subtree, not what the ministry registered.
    assert "Sent to us today" in html and "Received today" not in html


def test_the_ministry_s_cards_count_what_was_received_and_waits_for_routing(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    html = get(client, ministry.wg_member, reverse("reports:dashboard")).content.decode()
    assert "Received today" in html and "Awaiting routing" in html
    assert "Sent to us today" not in html


def test_an_association_of_another_region_sees_none_of_region_a(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    region_a = list(
        Appeal.objects.filter(author_region=ministry.region_a).values_list("number", flat=True)
    )
    for url in pages():
        response = get(client, ministry.outsider, url)
        if response["Content-Type"] == "application/pdf":
            text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
        elif response["Content-Type"] == XLSX:
            wb = load_workbook(BytesIO(response.content))
            text = " ".join(
                str(cell.value) for ws in wb for row in ws.iter_rows() for cell in row if cell.value
            )
        else:
            # The region filter lists every region's name (reference data, not figures).
            text = re.sub(r"<select.*?</select>", "", response.content.decode(), flags=re.S)
        assert "Toshkent viloyati" not in text, url
        assert "rd-1727" not in text and "tma-1727237" not in text, url
        for number in region_a:
            assert number not in text
    data = get(client, ministry.outsider, reverse("reports:dashboard")).context["data"]
    assert data.summary["month"] == 0 and data.regions == []


def test_the_xlsx_export_holds_every_table(client, ministry: Ministry, scenario) -> None:
    response = get(client, ministry.wg_member, reverse("reports:export"), date_from="2026-11-01")
    assert response["Content-Type"] == XLSX
    assert "attachment;" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["Summary", "Overdue", "On time", "Topics", "Channels", "Regions"]
    regions = {row[0]: row[1] for row in wb["Regions"].iter_rows(min_row=2, values_only=True)}
    assert regions == {"Toshkent viloyati": 4, "Samarqand viloyati": 2}
    on_time = list(wb["On time"].iter_rows(min_row=2, values_only=True))
    assert on_time == [("md-treatment", 1, 1, 100.0)]
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row}
    assert summary["Awaiting routing"] == 3


def test_the_monthly_report_page_xlsx_and_pdf_r_org_7(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = get(client, ministry.wg_member, reverse("reports:monthly"), month="2026-11")
    html = response.content.decode()
    assert "November 2026" in html
    assert "Partly satisfied" in html and "Visitors received" in html
    # Every appeal figure links to the appeals behind it.
    assert "/reports/monthly/appeals/?month=2026-11&amp;column=received" in html
    response = get(client, ministry.wg_member, reverse("reports:monthly_export"), month="2026-11")
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Monthly report on appeals (R-ORG-7)"
    assert rows[1][0] == "Whole ministry" and rows[2][0] == "November 2026"
    header = rows[4]
    assert header[:4] == ("Organisation", "Received", "Routed or forwarded", "Returned")
    total = next(r for r in rows if r[0] == "Total, each appeal once")
    assert total[1] == 6  # registered in November
    # Print setup: A4 landscape, titles repeated on every page, the header frozen.
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == "$1:$5"
    assert ws.freeze_panes == "B6"
    pdf = get(client, ministry.wg_member, reverse("reports:monthly_export_pdf"), month="2026-11")
    reader = PdfReader(BytesIO(pdf.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert reader.pages[0].mediabox.width == pytest.approx(841.89, abs=1)  # A4 landscape
    assert "Monthly report on appeals (R-ORG-7)" in text and "November 2026" in text
    assert "Whole ministry" in text and "Page 1 of" in text
    assert "Responsible officer" in text and "Head of the organisation" in text
    assert "md-treatment" in text
    # A month that does not parse falls back to the current one.
    assert get(client, ministry.wg_member, reverse("reports:monthly"), month="13-2026")


@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_the_pdf_is_written_in_the_user_s_language(
    client, ministry: Ministry, scenario: Scenario, language: str
) -> None:
    client.cookies["django_language"] = language
    pdf = get(client, ministry.wg_member, reverse("reports:monthly_export_pdf"), month="2026-11")
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    with translation.override(language):
        month = date_format(date(2026, 11, 1), "YEAR_MONTH_FORMAT")
    assert month in text
    assert "Page 1 of" not in text  # translated, Cyrillic glyphs embedded


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_each_language(
    client, ministry: Ministry, scenario: Scenario, language: str
) -> None:
    with at(TODAY):
        client.force_login(ministry.wg_member)
        client.cookies["django_language"] = language
        for url in pages():
            response = client.get(url)
            assert response.status_code == 200, url
            if response["Content-Type"].startswith("text/html"):
                assert f'<html lang="{language}">' in response.content.decode(), url


def test_numbers_are_localised(client, ministry: Ministry) -> None:
    make_appeals(ministry, 3)
    with at(date(2026, 11, 20)):
        client.force_login(ministry.wg_member)
        client.cookies["django_language"] = "ru"
        html = client.get(reverse("reports:dashboard")).content.decode()
    assert "20.11.2026" in html or "20.11.26" in html


@pytest.mark.parametrize("n", [5, 50])
def test_dashboard_queries_do_not_grow_with_the_appeals(
    client, ministry: Ministry, django_assert_max_num_queries, n: int
) -> None:
    make_appeals(ministry, n)
    with at(date(2026, 11, 20)):
        for user in (ministry.wg_member, ministry.regional_head, ministry.association_head):
            client.force_login(user)
            for url in pages():
                client.get(url)
                # Measured (docs/performance.md): the dashboard 16-17 (session, user, roles;
                # which months of the period are closed; five figures with their names; the
                # organisation of a head; the regions' ids for the drill-down links; the
                # closed months' trend; this week's surges, issue 14); the monthly report of a
                # month not closed yet 25-29 (whether it has a provisional snapshot; without
                # one, as here, its derivation from the events: a fixed number of queries,
                # whatever the number of appeals).
                budget = 29 if "/monthly/" in url else 18
                with django_assert_max_num_queries(budget):
                    assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_exports_write_dates_in_the_user_s_locale(
    client, ministry: Ministry, language: str
) -> None:
    """Issue 4 §5: the XLSX says the period and the month as the pages do."""
    client.cookies["django_language"] = language
    response = get(client, ministry.wg_member, reverse("reports:export"), date_from="2026-11-01")
    summary = load_workbook(BytesIO(response.content)).worksheets[0]
    monthly = get(client, ministry.wg_member, reverse("reports:monthly_export"), month="2026-11")
    title = load_workbook(BytesIO(monthly.content)).worksheets[0]["A3"].value
    with translation.override(language):
        start = date_format(date(2026, 11, 1), "SHORT_DATE_FORMAT")
        end = date_format(TODAY, "SHORT_DATE_FORMAT")
        month = date_format(date(2026, 11, 1), "YEAR_MONTH_FORMAT")
        excel = xlsx.excel_date_format()
    assert summary["B2"].value == f"{start} – {end}"
    assert summary["B3"].number_format == excel
    assert title == month
    # Excel shows the date cell as the pages show a date: 1 Nov 2026 through Excel's format.
    parts = {"YYYY": "2026", "YY": "26", "MM": "11", "M": "11", "DD": "01", "D": "1"}
    assert re.sub("YYYY|YY|MM|M|DD|D", lambda m: parts[m.group()], excel) == start


def test_a_period_that_does_not_parse_is_marked_next_to_its_field(
    client, ministry: Ministry
) -> None:
    html = get(
        client, ministry.wg_member, reverse("reports:dashboard"), date_from="31.02.x"
    ).content.decode()
    widget = re.search(r"<input[^>]*\bid=\"id_date_from\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in widget and 'aria-describedby="id_date_from-error"' in widget
    assert '<div id="id_date_from-error" class="invalid-feedback d-block">' in html


def test_long_organisation_names_reach_the_chart_and_the_table_whole(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    """The chart shortens its axis labels in the browser (dashboard.js); the tooltip and the
    table under the chart need the whole name, so the page must never cut it itself."""
    long_name = "Republican Specialised Scientific and Practical Medical Centre of Cardiology"
    ministry.main_directorate.name_en = long_name
    ministry.main_directorate.save(update_fields=["name_en"])
    response = get(client, ministry.wg_member, reverse("reports:dashboard"), date_from="2026-11-01")
    html = response.content.decode()
    data = json.loads(
        html.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    )
    assert long_name in data["on_time"]["labels"]
    assert f'<th scope="row" class="fw-normal">{long_name}</th>' in html


@pytest.mark.parametrize(
    ("language", "received", "date_label"),
    [("uz", "Kelib tushgan", "Kelib tushgan sana"), ("ru", "Поступило", "Дата поступления")],
)
def test_the_monthly_count_column_is_not_the_date_label_r_org_7(
    language: str, received: str, date_label: str
) -> None:
    """The count column says "Received" like the appeal page's date label: two messages."""
    with translation.override(language):
        headers = xlsx.monthly_headers()
        assert headers[0] == received
        assert date_label not in headers
