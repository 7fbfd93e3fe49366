"""Pure modules beside the allocator: analytics, lineage (K-5), registration rules (K-2)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from murojaat.parties import analytics, lineage, registration
from murojaat.parties.apportionment import Method, allocate
from murojaat.parties.results_csv import MAX_DECIMALS, ResultsFileError, parse

F = Fraction


# --- analytics ---------------------------------------------------------------------------------


def test_effective_number_of_two_equal_parties_is_two():
    assert analytics.effective_number([F(1, 2), F(1, 2)]).high == pytest.approx(2)


def test_2012_measures_bound_the_unlisted_four_percent_k6():
    m = analytics.measures([F("80.99"), F("7.47"), F("7.19")], [83, 8, 7], F(100))
    assert m.enp_votes.high == pytest.approx(1.4999, abs=1e-3)
    assert m.enp_votes.low == pytest.approx(1.4957, abs=1e-3)
    assert m.enp_seats == pytest.approx(1.3717, abs=1e-3)
    assert m.gallagher.low == pytest.approx(2.662, abs=1e-2)
    assert m.gallagher.high == pytest.approx(4.068, abs=1e-2)
    assert m.largest_vote_share == pytest.approx(80.99)
    assert m.largest_seat_share == pytest.approx(100 * 83 / 98)
    assert m.unlisted_share == pytest.approx(4.35)


def test_complete_results_give_equal_bounds():
    m = analytics.measures([F(60), F(40)], [6, 4], F(100))
    assert m.enp_votes.exact and m.gallagher.exact
    assert m.gallagher.low == pytest.approx(0)


def test_without_seats_only_vote_measures_exist():
    m = analytics.measures([F(3), F(1)], None, F(4))
    assert m.enp_seats is None and m.gallagher is None
    assert m.largest_vote_share == 75


# --- lineage ----------------------------------------------------------------------------------

D = date(2006, 1, 1)


def test_successors_follow_mergers_and_renames_but_not_blocs_or_splits_k5():
    edges = [
        lineage.Edge("asar", "otan", "merged_into", D),
        lineage.Edge("otan", "nur-otan", "renamed", D),
        lineage.Edge("agrarian", "aist", "joined_bloc", D),
        lineage.Edge("cpk", "cppk", "founded", D),
    ]
    assert [[e.target for e in p] for p in lineage.successors("asar", edges)] == [
        ["otan", "nur-otan"]
    ]
    assert lineage.successors("agrarian", edges) == []
    assert lineage.final_names("cpk", edges) == ["cpk"]
    assert lineage.final_names("asar", edges) == ["nur-otan"]


def test_a_cycle_in_bad_data_ends_instead_of_looping():
    edges = [lineage.Edge("a", "b", "renamed", D), lineage.Edge("b", "a", "renamed", D)]
    assert [[e.target for e in p] for p in lineage.successors("a", edges)] == [["b"]]


def test_layers_put_each_party_after_its_predecessors():
    nodes = [lineage.Node(s, s, 2000) for s in ("a", "b", "c")]
    edges = [lineage.Edge("a", "b", "merged_into", D), lineage.Edge("b", "c", "renamed", D)]
    assert lineage.layers(nodes, edges) == {"a": 0, "b": 1, "c": 2}


def test_the_svg_escapes_labels_and_links():
    nodes = [lineage.Node("x", "<script>", 1999, href='/p/"x"'), lineage.Node("y", "Y", None)]
    svg = lineage.svg(nodes, [lineage.Edge("x", "y", "merged_into", D)], title="<t>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;t&gt;" in svg and 'href="/p/&quot;x&quot;"' in svg


def test_registration_follows_registration_mergers_renames_and_dissolution():
    facts = [
        lineage.Fact("a", "registered", date(2000, 1, 1)),
        lineage.Fact("b", "registered", date(2000, 1, 1)),
        lineage.Fact("b", "merged_into", date(2003, 1, 1), "a"),
        lineage.Fact("a", "renamed", date(2004, 1, 1), "c"),
        lineage.Fact("c", "dissolved", date(2010, 1, 1)),
    ]
    assert lineage.registered_at(facts, date(2001, 1, 1)) == {"a", "b"}
    assert lineage.registered_at(facts, date(2003, 1, 1)) == {"a"}
    assert lineage.registered_at(facts, date(2005, 1, 1)) == {"c"}
    assert lineage.registered_at(facts, date(2010, 1, 1)) == set()


# --- registration (K-2) -----------------------------------------------------------------------

LAW_2002 = registration.LawRules("2002", 50_000, True, 700)
REGIONS = ["Akmola Region", "Astana", "Almaty"]


def test_the_2002_requirements_are_met_with_enough_members_everywhere_k2():
    figures = registration.Figures(50_000, date(2002, 1, 1), dict.fromkeys(REGIONS, 700), REGIONS)
    reqs = registration.check(LAW_2002, figures)
    assert [r.met for r in reqs] == [True, True, True]
    assert registration.overall(reqs) is True


def test_49_999_members_fail_and_say_so_k2():
    figures = registration.Figures(49_999, None, dict.fromkeys(REGIONS, 700), REGIONS)
    reqs = registration.check(LAW_2002, figures)
    assert (reqs[0].met, reqs[0].actual, reqs[0].required) == (False, "49,999", ">= 50,000")
    assert registration.overall(reqs) is False


def test_a_missing_branch_and_a_small_branch_are_each_named_k2():
    figures = registration.Figures(
        60_000, None, {"Astana": 699, "Almaty": 800}, REGIONS, closed_regions=["Akmola Region"]
    )
    members, branches, sizes = registration.check(LAW_2002, figures)
    assert branches.met is False and branches.details == ["missing: Akmola Region"]
    assert sizes.met is False and sizes.details == ["Astana: 699"]


def test_a_region_no_report_mentions_is_unknown_not_missing_k2():
    figures = registration.Figures(60_000, None, {"Astana": 800, "Almaty": 800}, REGIONS)
    members, branches, sizes = registration.check(LAW_2002, figures)
    assert branches.met is None and branches.details == ["no data: Akmola Region"]
    assert branches.actual == "2 known, 1 without data"
    assert sizes.met is None  # every known branch is big enough; Akmola's is unknown
    assert registration.overall([members, branches, sizes]) is None
    assert registration.missing([members, branches, sizes])[0].endswith("no data: Akmola Region")


def test_no_branch_reports_at_all_say_so_k2():
    figures = registration.Figures(60_000, None, {}, REGIONS)
    members, branches, sizes = registration.check(LAW_2002, figures)
    assert (branches.met, branches.details) == (None, ["no branch reports in the registry"])
    assert sizes.details == ["no branch membership figures in the registry"]


def test_unknown_figures_are_unknown_not_failed_k2():
    figures = registration.Figures(None, None, dict.fromkeys(REGIONS), REGIONS)
    reqs = registration.check(LAW_2002, figures)
    assert [r.met for r in reqs] == [None, True, None]
    assert registration.overall(reqs) is None


def test_a_law_without_branch_rules_checks_members_only():
    reqs = registration.check(
        registration.LawRules("x", 10, False, 0), registration.Figures(10, None, {}, REGIONS)
    )
    assert [r.code for r in reqs] == ["members"]


# --- results files ----------------------------------------------------------------------------


def test_excel_byte_order_mark_and_crlf_are_accepted():
    parsed = parse("\ufeffparty,votes\r\nA,1000\r\nB,500\r\n")
    assert parsed.votes == {"A": 1000, "B": 500} and not parsed.percent


def test_small_whole_numbers_are_percentages_unless_the_unit_says_counts_k3():
    assert parse("A,40\nB,30\n").votes_cast == 100
    assert parse("A,40\nB,30\n").percent
    assert parse("A,40\nB,30\n", unit="counts").votes_cast == 70
    assert not parse("A,400\nB,300\n").percent
    with pytest.raises(ResultsFileError, match="unknown unit"):
        parse("A,1\n", unit="ratio")


def test_given_votes_cast_replace_the_default_in_either_unit_k3():
    assert parse("A,790\nB,60\n", votes_cast=Decimal(1000)).votes_cast == 1000
    assert parse("A,70.5\nB,20\n", votes_cast=Decimal("101.2")).votes_cast == Decimal("101.2")
    with pytest.raises(ResultsFileError, match="fewer than the votes of the lists"):
        parse("A,790\nB,60\n", votes_cast=Decimal(849))


def test_the_parser_allows_as_many_decimals_as_the_database_stores():
    from murojaat.parties.models import ElectionResult

    field = ElectionResult._meta.get_field("votes")
    assert field.decimal_places == MAX_DECIMALS
    assert field.max_digits - field.decimal_places >= 16  # 10^15, the largest figure accepted
    assert parse("A,0.123456\n").votes["A"] == Decimal("0.123456")
    with pytest.raises(ResultsFileError, match="more than 6 decimal places"):
        parse("A,0.1234567\n")


# --- properties ---------------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s.strip() and s.casefold() != "party")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names, st.integers(min_value=0, max_value=10**12), min_size=1, max_size=20))
def test_any_csv_written_by_a_spreadsheet_reads_back_the_same(votes):
    if len({n.casefold() for n in votes}) != len(votes):
        return
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["party", "votes"])
    for name, v in votes.items():
        writer.writerow([name, v])
    parsed = parse(buf.getvalue(), unit="counts")
    assert parsed.votes == votes and not parsed.percent
    assert parse(buf.getvalue()).percent == (sum(votes.values()) <= 100)


@settings(max_examples=200, deadline=None)
@given(
    votes=st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(1, 10**6), min_size=1),
    seats=st.integers(1, 200),
    factor=st.integers(2, 1000),
    method=st.sampled_from([Method.HARE, Method.DHONDT, Method.SAINTE_LAGUE]),
)
def test_scaling_every_list_s_votes_changes_no_seat(votes, seats, factor, method):
    scaled = {n: v * factor for n, v in votes.items()}
    assert (
        allocate(votes, seats, method=method, threshold=F(5, 100)).seats
        == allocate(scaled, seats, method=method, threshold=F(5, 100)).seats
    )
