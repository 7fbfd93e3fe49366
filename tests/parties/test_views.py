"""Party pages: signed-in users read, admins edit (issue 6 §7), K-5/K-6 on screen."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from murojaat.parties.models import Election, LawVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    call_command("load_parties", stdout=io.StringIO())


@pytest.fixture
def member(client, ministry, loaded):
    client.force_login(ministry.wg_member)
    return client


@pytest.fixture
def admin(client, ministry, loaded):
    client.force_login(ministry.admin)
    return client


PAGES = [
    ("parties:index", []),
    ("parties:list", []),
    ("parties:party", ["otan"]),
    ("parties:lineage", []),
    ("parties:laws", []),
    ("parties:elections", []),
    ("parties:election", ["majilis-2012"]),
    ("parties:what_if", ["majilis-1999"]),
    ("parties:allocate", []),
    ("parties:analytics", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_asks_a_stranger_to_sign_in(client, loaded, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_opens_for_any_signed_in_user(member, name, args):
    response = member.get(reverse(name, args=args))
    assert response.status_code == 200


def test_the_index_is_the_module_landing_page_linked_from_the_navigation(member):
    response = member.get("/parties/")
    assert response.status_code == 200
    assert b"Stages of party construction" in response.content


def test_the_registry_filters_by_the_date_of_registration_k7(member):
    response = member.get(reverse("parties:list"), {"on": "2012-01-15"})
    parties = list(response.context["parties"])
    assert len(parties) == 9
    assert "Alga People&#x27;s Party" not in response.content.decode()


def test_the_registry_filters_by_orientation_group_k7(member):
    response = member.get(reverse("parties:list"), {"orientation": "principled_opposition"})
    assert {p.slug for p in response.context["parties"]} == {"cpk", "nsdp"}


def test_a_party_page_shows_history_successors_and_lineage_k5(member):
    html = member.get(reverse("parties:party", args=["asar"])).content.decode()
    assert "Merged into" in html
    assert "Nur Otan" in html
    assert "<svg" in html


def test_a_party_page_checks_registration_on_a_date_with_figures_k2(member):
    html = member.get(reverse("parties:party", args=["otan"]), {"day": "2002-09-01"}).content
    html = html.decode()
    assert "150,000" in html and "&gt;= 50,000" in html
    assert "Unknown: no figure" in html


def test_an_unknown_party_is_404(member):
    assert member.get(reverse("parties:party", args=["nobody"])).status_code == 404


def test_the_election_page_puts_computed_beside_official_seats_k6(member):
    response = member.get(reverse("parties:election", args=["majilis-1999"]))
    assert response.context["report"].differences == 0
    assert b"table-danger" not in response.content


def test_a_difference_from_the_official_seats_is_highlighted(member):
    Election.objects.filter(slug="majilis-1999").update(method="dhondt")
    html = member.get(reverse("parties:election", args=["majilis-1999"])).content.decode()
    assert html.count('class="table-danger"') == 2


def test_what_if_compares_the_methods_and_thresholds_the_user_picks(member):
    response = member.get(
        reverse("parties:what_if", args=["majilis-1999"]),
        {"methods": ["hare", "dhondt"], "thresholds": "7, 15"},
    )
    table = response.context["table"]
    assert table.columns == [("hare", 7), ("dhondt", 7), ("hare", 15), ("dhondt", 15)]
    otan = table.rows[0]
    assert otan[0] == "Otan" and otan[2] == [4, 5, 6, 6]


def test_what_if_refuses_a_threshold_that_is_not_a_percentage(member):
    response = member.get(
        reverse("parties:what_if", args=["majilis-1999"]),
        {"methods": ["hare"], "thresholds": "7, 120"},
    )
    assert response.context["table"] is None
    assert "between 0 and 100" in response.content.decode()


def test_the_calculator_allocates_pasted_results(member):
    response = member.post(
        reverse("parties:allocate"),
        {
            "text": "A,600\nB,300\nC,100\n",
            "seats": 10,
            "threshold": 0,
            "method": "dhondt",
            "min_parties": 0,
        },
    )
    assert response.status_code == 200
    assert [(r[0], r[2]) for r in response.context["rows"]] == [("A", 6), ("B", 3), ("C", 1)]
    assert "Read as vote counts (whole numbers adding up to 1000" in response.content.decode()


def test_the_calculator_names_the_bad_line(member):
    response = member.post(
        reverse("parties:allocate"),
        {
            "text": "A,600\nB,lots\n",
            "seats": 10,
            "threshold": 0,
            "method": "hare",
            "min_parties": 0,
        },
    )
    assert response.status_code == 400
    assert "line 2: votes must be a number" in response.content.decode()


def test_analytics_shows_measures_and_loads_the_vendored_chart_js(member):
    html = member.get(reverse("parties:analytics")).content.decode()
    assert "vendor/chart.umd.min.js" in html
    assert 'id="party-chart-data"' in html
    assert "Gallagher" in html


def test_only_admins_see_the_import_form(member, ministry, client):
    html = member.get(reverse("parties:election", args=["majilis-2012"])).content.decode()
    assert "Import results" not in html


def test_a_non_admin_cannot_import_results(member):
    response = member.post(
        reverse("parties:election_import", args=["majilis-2012"]), {"text": "A,1\n"}
    )
    assert response.status_code == 403
    assert Election.objects.get(slug="majilis-2012").results.count() == 7


def test_an_admin_imports_a_results_file(admin):
    upload = SimpleUploadedFile("r.csv", b"party,votes\nNur Otan,700\nAk Zhol,300\n")
    response = admin.post(
        reverse("parties:election_import", args=["majilis-2012"]), {"file": upload}
    )
    assert response.status_code == 302
    election = Election.objects.get(slug="majilis-2012")
    assert election.results.count() == 2 and election.vote_unit == "count"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1251"])
def test_an_excel_export_in_any_of_its_encodings_is_imported(admin, encoding):
    """Excel saves CSV in the locale's code page (Windows-1251 for Cyrillic) unless told UTF-8."""
    content = "party;votes\nНур Отан;700\nАк Жол;300\n".encode(encoding)
    response = admin.post(
        reverse("parties:election_import", args=["majilis-2012"]),
        {"file": SimpleUploadedFile("r.csv", content)},
    )
    assert response.status_code == 302
    election = Election.objects.get(slug="majilis-2012")
    assert sorted(r.name for r in election.results.all()) == ["Ак Жол", "Нур Отан"]


def test_a_spreadsheet_file_instead_of_its_csv_is_refused_clearly(admin):
    response = admin.post(
        reverse("parties:election_import", args=["majilis-2012"]),
        {"file": SimpleUploadedFile("r.xlsx", b"PK\x03\x04\x14\x00\x00\x00binary")},
    )
    assert response.status_code == 400
    assert "save it as CSV UTF-8" in response.content.decode()
    assert Election.objects.get(slug="majilis-2012").results.count() == 7


def test_a_bad_import_shows_the_line_and_keeps_the_results(admin):
    response = admin.post(
        reverse("parties:election_import", args=["majilis-2012"]), {"text": "A,1\nA,2\n"}
    )
    assert response.status_code == 400
    assert "line 2: party &#x27;A&#x27; appears twice" in response.content.decode()
    assert Election.objects.get(slug="majilis-2012").results.count() == 7


def test_an_import_needs_a_file_or_text(admin):
    response = admin.post(reverse("parties:election_import", args=["majilis-2012"]), {})
    assert response.status_code == 400
    assert "Choose a file or paste the results." in response.content.decode()


def test_an_admin_adds_a_law_version_and_a_member_cannot(member, ministry, client):
    url = reverse("parties:law_add")
    assert member.get(url).status_code == 403
    client.force_login(ministry.admin)
    data = {
        "title": "2009 amendments",
        "enacted_on": "2009-02-01",
        "effective_from": "2009-02-01",
        "min_members": 40000,
        "branches_in_all_regions": "on",
        "min_branch_members": 600,
        "date_precision": "month",  # the form's select, as a browser submits it
    }
    assert client.post(url, data).status_code == 302
    assert LawVersion.objects.filter(title="2009 amendments").exists()


def test_a_law_version_cannot_end_before_it_starts(admin):
    data = {
        "title": "Odd",
        "enacted_on": "2009-02-01",
        "effective_from": "2009-02-01",
        "effective_to": "2008-01-01",
        "min_members": 1,
        "min_branch_members": 0,
    }
    response = admin.post(reverse("parties:law_add"), data)
    assert response.status_code == 200
    assert "The end cannot be before the start." in response.content.decode()
