"""The parties API at /api/parties/: reads for signed-in users, allocation with clear 4xx errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

BASE = "/api/parties"


@pytest.fixture
def api(client, ministry):
    call_command("load_parties", stdout=io.StringIO())
    client.force_login(ministry.wg_member)
    return client


def post(client, path, data):
    return client.post(f"{BASE}{path}", data, content_type="application/json")


def test_the_api_refuses_anonymous_callers_and_says_how_to_sign_in(client, db):
    response = client.get(f"{BASE}/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_signed_in"
    assert "web session" in response.json()["detail"]
    assert post(client, "/allocate", {"votes": {"A": 1}, "seats": 1}).status_code == 401


def test_it_lists_parties_with_filters_k7(api):
    everything = api.get(f"{BASE}/").json()
    assert len(everything) == 46  # the article's 40 and six parties after it
    ruling = api.get(f"{BASE}/", {"orientation": "ruling"}).json()
    assert [p["slug"] for p in ruling] == ["nur-otan"]
    registered = api.get(f"{BASE}/", {"registered_on": "2012-01-15"}).json()
    assert len(registered) == 9


def test_it_answers_which_parties_were_registered_on_a_date_k7(api):
    body = api.get(f"{BASE}/registered", {"on": "2012-01-15"}).json()
    assert {p["slug"] for p in body} >= {"nur-otan", "ak-zhol", "cppk"}


def test_a_malformed_date_is_a_422_naming_the_field(api):
    response = api.get(f"{BASE}/registered", {"on": "15.01.2012"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert [e["field"] for e in response.json()["errors"]] == ["on"]


def test_party_detail_has_history_and_successors_k5(api):
    body = api.get(f"{BASE}/asar").json()
    assert body["name"] == 'Republican Party "Asar"'
    assert [e["kind"] for e in body["history"]] == ["founded", "registered", "merged_into"]
    assert [e["inferred"] for e in body["history"]] == [False, True, False]
    assert body["became"] == [
        [
            {"slug": "otan", "name": 'Republican Political Party "Otan"'},
            {"slug": "nur-otan", "name": 'People\'s Democratic Party "Nur Otan"'},
            {"slug": "amanat", "name": "Amanat party"},
        ]
    ]


def test_an_unknown_party_is_404(api):
    response = api.get(f"{BASE}/nobody")
    assert response.status_code == 404
    assert response.json()["detail"] == "No party 'nobody'."
    assert response.json()["code"] == "not_found"


def test_elections_carry_computed_and_official_seats_k6(api):
    body = api.get(f"{BASE}/elections").json()
    assert [e["slug"] for e in body] == [
        "majilis-1999",
        "majilis-2004",
        "majilis-2007",
        "majilis-2012",
        "majilis-2016",
        "majilis-2021",
        "majilis-2023",
    ]
    for election in body:
        assert election["differences"] == 0
        for r in election["results"]:
            assert r["computed_seats"] == r["official_seats"]


def test_one_election_can_be_recomputed_under_another_method(api):
    body = api.get(f"{BASE}/elections/majilis-1999", {"method": "dhondt"}).json()
    assert body["differences"] == 2
    assert api.get(f"{BASE}/elections/nope").status_code == 404
    assert api.get(f"{BASE}/elections/majilis-1999", {"method": "x"}).status_code == 422


def test_allocate_takes_a_list_of_votes_k3_k6(api):
    payload = {
        "votes": [
            {"party": "Otan", "votes": 30.89},
            {"party": "CPK", "votes": "17.75"},
            {"party": "Agrarian", "votes": 12.63},
            {"party": "Civil", "votes": 11.23},
            {"party": "Small", "votes": 5},
        ],
        "seats": 10,
        "threshold": 7,
        "votes_cast": 100,
    }
    body = post(api, "/allocate", payload).json()
    assert [(a["party"], a["seats"]) for a in body["allocation"]] == [
        ("Otan", 4),
        ("CPK", 2),
        ("Agrarian", 2),
        ("Civil", 2),
        ("Small", 0),
    ]
    assert body["method"] == "hare" and body["quota"] == pytest.approx(7.25)


def test_allocate_takes_a_mapping_of_votes(api):
    body = post(
        api, "/allocate", {"votes": {"A": 600, "B": 300, "C": 100}, "seats": 10, "method": "dhondt"}
    ).json()
    assert [a["seats"] for a in body["allocation"]] == [6, 3, 1]


def test_allocate_reports_a_tie_and_the_rule(api):
    body = post(api, "/allocate", {"votes": {"b": 10, "a": 10}, "seats": 1}).json()
    assert body["allocation"][0] == {
        "party": "a",
        "votes": 10.0,
        "seats": 1,
        "qualified": True,
        "admitted": False,
    }
    assert body["ties"][0]["winners"] == ["a"]
    assert "more votes" in body["tie_rule"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"votes": {"A": -1}, "seats": 1}, "votes"),
        ({"votes": {"A": "x"}, "seats": 1}, "votes"),
        ({"votes": [{"party": "A", "votes": -1}], "seats": 1}, "votes"),
        ({"votes": {"A": 1}, "seats": 0}, "seats"),
        ({"votes": {"A": 1}, "seats": 1, "threshold": 101}, "threshold"),
        ({"votes": {"A": 1}, "seats": 1, "method": "imperiali"}, "method"),
        ({"seats": 1}, "votes"),
    ],
)
def test_allocate_refuses_invalid_fields_with_a_422_naming_them(api, payload, field):
    response = post(api, "/allocate", payload)
    assert response.status_code == 422
    assert any(e["field"].startswith(field) for e in response.json()["errors"])


@pytest.mark.parametrize(
    ("payload", "code", "fragment"),
    [
        ({"votes": {}, "seats": 1}, "no_votes", "at least one"),
        (
            {"votes": [{"party": "A", "votes": 1}, {"party": "a", "votes": 2}], "seats": 1},
            "duplicate_party",
            "votes[1]: party 'a' appears twice",
        ),
        ({"votes": {"A": 10}, "seats": 1, "votes_cast": 5}, "cannot_allocate", "cannot be fewer"),
    ],
)
def test_allocate_refuses_impossible_input_with_a_400_and_a_stable_code(
    api, payload, code, fragment
):
    response = post(api, "/allocate", payload)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert fragment in response.json()["detail"]


def test_allocate_refuses_a_body_that_is_not_json(api):
    response = api.post(f"{BASE}/allocate", "party,votes", content_type="application/json")
    assert response.status_code in (400, 422)


def test_the_endpoints_are_documented_in_openapi(api):
    from murojaat.api import api as ninja_api

    paths = ninja_api.get_openapi_schema()["paths"]
    for path in (
        "/api/parties/",
        "/api/parties/registered",
        "/api/parties/elections",
        "/api/parties/elections/{slug}",
        "/api/parties/allocate",
        "/api/parties/{slug}",
    ):
        assert path in paths


@pytest.mark.parametrize("votes", ["1e999999999", 10**16, "0.0000001"])
def test_allocate_refuses_absurd_figures_with_a_422(api, votes):
    response = post(api, "/allocate", {"votes": {"A": votes, "B": 1}, "seats": 1})
    assert response.status_code == 422


def test_registration_check_lists_each_requirement_with_figures_k2(api):
    body = api.get(f"{BASE}/otan/registration", {"on": "2002-09-01"}).json()
    assert body["law"].startswith("Law of 15 July 2002")
    assert body["result"] is None
    assert [(r["code"], r["met"]) for r in body["requirements"]] == [
        ("members", True),
        ("branches", True),
        ("branch_members", None),
    ]
    assert api.get(f"{BASE}/otan/registration", {"on": "2000-01-01"}).json()["law"] is None
    assert api.get(f"{BASE}/nobody/registration", {"on": "2002-09-01"}).status_code == 404
