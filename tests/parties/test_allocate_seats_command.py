"""``manage.py allocate_seats``: the CSV contract for scripts (K-3, K-6 as examples)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command


def run_bytes(tmp_path, raw: bytes, *args: str) -> tuple[str, str]:
    """stdout and stderr of one run on a file of these bytes."""
    path = tmp_path / "results.csv"
    path.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    call_command("allocate_seats", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_both(tmp_path, text: str, *args: str) -> tuple[str, str]:
    """stdout and stderr of one run."""
    return run_bytes(tmp_path, text.encode("utf-8"), *args)


def run(tmp_path, text: str, *args: str) -> str:
    return run_both(tmp_path, text, *args)[0]


def fails(tmp_path, text: str, *args: str) -> str:
    with pytest.raises(CommandError) as exc:
        run(tmp_path, text, *("--seats", "10", *args))
    return str(exc.value)


ARTICLE_1999 = "party,votes\nOtan,30.89\nCPK,17.75\nAgrarian,12.63\nCivil,11.23\n"


def test_it_reproduces_the_1999_majilis_lists_from_percentages_k3_k6(tmp_path):
    out = run(tmp_path, ARTICLE_1999, "--seats", "10", "--threshold", "7")
    assert out == "party,seats\nOtan,4\nCPK,2\nAgrarian,2\nCivil,2\n"


def test_the_header_is_optional_and_the_default_method_is_hare(tmp_path):
    body = ARTICLE_1999.split("\n", 1)[1]
    assert run(tmp_path, body, "--seats", "10", "--threshold", "7") == run(
        tmp_path, ARTICLE_1999, "--seats", "10", "--threshold", "7", "--method", "hare"
    )


def test_percentages_are_shares_of_votes_cast_so_missing_votes_count_against_the_threshold(
    tmp_path,
):
    # 2012: three lists over 7% of *all* votes; Ak Zhol's 7.47 would be 7.8% of the listed votes
    text = "Nur Otan,80.99\nAk Zhol,7.47\nCPPK,7.19\n"
    out = run(tmp_path, text, "--seats", "98", "--threshold", "7.5")
    assert out == "party,seats\nNur Otan,98\nAk Zhol,0\nCPPK,0\n"


def test_vote_counts_are_read_as_counts(tmp_path):
    out = run(tmp_path, "A,600\nB,300\nC,100\n", "--seats", "10", "--method", "dhondt")
    assert out == "party,seats\nA,6\nB,3\nC,1\n"


def test_output_orders_by_seats_then_votes_then_name(tmp_path):
    out = run(tmp_path, "d,5\nb,10\na,10\nc,30\ne,6\n", "--seats", "4")
    assert out == "party,seats\nc,2\na,1\nb,1\ne,0\nd,0\n"


@pytest.mark.parametrize("method", ["hare", "droop", "dhondt", "sainte-lague"])
def test_every_method_name_is_accepted(tmp_path, method):
    out = run(tmp_path, "A,6000\nB,3000\nC,1000\n", "--seats", "10", "--method", method)
    assert out.splitlines()[0] == "party,seats"
    assert sum(int(line.split(",")[1]) for line in out.splitlines()[1:]) == 10


def test_quoted_names_with_commas_survive(tmp_path):
    out = run(tmp_path, '"Party, The",60\nOther,40\n', "--seats", "5")
    assert out == 'party,seats\n"Party, The",3\nOther,2\n'


def test_a_percent_sign_marks_percentages(tmp_path):
    out = run(tmp_path, "A,60%\nB,6%\n", "--seats", "10", "--threshold", "7")
    assert out == "party,seats\nA,10\nB,0\n"


def test_the_min_parties_guarantee_admits_the_runner_up(tmp_path):
    text = "Nur Otan,88.41\nAk Zhol,3.09\nNSDP,1.54\n"
    out = run(tmp_path, text, "--seats", "98", "--threshold", "7", "--min-parties", "2")
    assert out == "party,seats\nNur Otan,95\nAk Zhol,3\nNSDP,0\n"


def test_blank_lines_are_skipped(tmp_path):
    assert run(tmp_path, "\nA,1\n\nB,1\n", "--seats", "2") == "party,seats\nA,1\nB,1\n"


def test_an_empty_file_is_refused(tmp_path):
    assert "no 'party,votes' lines" in fails(tmp_path, "")


def test_a_header_alone_is_refused(tmp_path):
    assert "no 'party,votes' lines" in fails(tmp_path, "party,votes\n")


def test_a_malformed_line_is_named(tmp_path):
    msg = fails(tmp_path, "A,10\nB,20,30\n")
    assert "line 2: expected 2 fields 'party,votes', found 3" in msg


def test_a_line_without_votes_is_named(tmp_path):
    assert "line 3: expected 2 fields" in fails(tmp_path, "party,votes\nA,1\nB\n")


def test_negative_votes_are_refused_with_the_line(tmp_path):
    assert "line 2: votes cannot be negative, got '-5'" in fails(tmp_path, "A,10\nB,-5\n")


def test_non_numeric_votes_are_refused_with_the_line(tmp_path):
    assert "line 1: votes must be a number, got 'many'" in fails(tmp_path, "A,many\n")


@pytest.mark.parametrize("bad", ["nan", "inf", "1e", "--1"])
def test_special_numbers_are_refused(tmp_path, bad):
    assert "line 1: votes must be" in fails(tmp_path, f"A,{bad}\n")


def test_duplicate_party_names_are_refused_naming_both_lines(tmp_path):
    msg = fails(tmp_path, "party,votes\nOtan,10\nCPK,5\notan,3\n")
    assert "line 4: party 'otan' appears twice (first on line 2)" in msg


def test_an_empty_party_name_is_refused(tmp_path):
    assert "line 1: the party name is empty" in fails(tmp_path, " ,10\n")


def test_percentages_over_100_are_refused(tmp_path):
    assert "add up to 120.5" in fails(tmp_path, "A,60.5\nB,60\n")
    assert "at most 100.5 is accepted" in fails(tmp_path, "A,60.5\nB,40.01\n")


@pytest.mark.parametrize("total", ["100.01", "100.3", "100.5"])
def test_percentages_rounded_a_little_over_100_are_accepted_as_published(tmp_path, total):
    # Published shares are rounded per list; their sum may exceed 100 by rounding (D2).
    text = f"A,60\nB,{Decimal(total) - 60}\n"
    assert run(tmp_path, text, "--seats", "10") == "party,seats\nA,6\nB,4\n"


def test_rounding_over_100_makes_the_sum_the_votes_cast_for_the_threshold_k3(tmp_path):
    # votes cast = 100.4: B's 7.02 is 6.99% of it, under 7%; against 100 it would pass.
    text = "A,93.38\nB,7.02\n"
    out, err = run_both(tmp_path, text, "--seats", "10", "--threshold", "7", "-v", "2")
    assert out == "party,seats\nA,10\nB,0\n"
    assert "votes cast = 100.40" in err


def test_fractional_counts_contradict_the_count_unit(tmp_path):
    assert "whole numbers" in fails(tmp_path, "A,1.5\n", "--unit", "counts")
    assert "whole numbers" in fails(tmp_path, "A,1.5\n", "--unit", "count")  # older spelling


# --- the unit and the votes cast (K-3: "7% of the votes of those who voted") ------------------


def test_whole_numbers_adding_up_to_at_most_100_are_read_as_percentages_with_a_note(tmp_path):
    out, err = run_both(tmp_path, "A,79\nB,6\n", "--seats", "10", "--threshold", "7")
    assert out == "party,seats\nA,10\nB,0\n"  # B has 6% of votes cast (100), under 7%
    assert "read the figures as percentages" in err and "at most 100" in err
    assert "--unit counts" in err


def test_the_unit_option_reads_the_same_whole_numbers_as_counts(tmp_path):
    out, err = run_both(tmp_path, "A,79\nB,6\n", "--seats", "10", "--threshold", "7", *COUNTS)
    assert out == "party,seats\nA,9\nB,1\n"  # B has 6 of 85 votes, 7.06%
    assert err == ""  # nothing was assumed


def test_real_count_data_is_read_as_counts_quietly_and_says_so_with_v2(tmp_path):
    out, err = run_both(tmp_path, "A,5000\nB,3000\n", "--seats", "8")
    assert out == "party,seats\nA,5\nB,3\n"
    assert err == ""  # nothing doubtful: a script's stderr stays empty
    err = run_both(tmp_path, "A,5000\nB,3000\n", "--seats", "8", "-v", "2")[1]
    assert "read the figures as vote counts" in err and "8000, more than 100" in err


def test_a_decimal_point_or_a_percent_sign_means_percentages(tmp_path):
    out, err = run_both(tmp_path, "A,60.0\nB,40\n", "--seats", "5")
    assert out == "party,seats\nA,3\nB,2\n" and err == ""
    assert "decimal point" in run_both(tmp_path, "A,60.0\nB,40\n", "--seats", "5", "-v", "2")[1]
    assert "percent sign" in run_both(tmp_path, "A,60%\nB,40\n", "--seats", "5", "-v", "2")[1]


def test_verbosity_0_silences_the_unit_note(tmp_path):
    assert run_both(tmp_path, "A,79\nB,6\n", "--seats", "5", "-v", "0")[1] == ""


COUNTS = ("--unit", "counts")


def test_votes_cast_measure_the_threshold_against_all_who_voted_k3(tmp_path):
    text = "A,790\nB,60\n"  # the file lists two parties; 1,000 people voted
    assert run(tmp_path, text, "--seats", "10", "--threshold", "7") == "party,seats\nA,9\nB,1\n"
    out = run(tmp_path, text, "--seats", "10", "--threshold", "7", "--votes-cast", "1000")
    assert out == "party,seats\nA,10\nB,0\n"  # B has 6% of the votes cast


def test_votes_cast_over_100_make_small_whole_numbers_counts(tmp_path):
    args = ("--seats", "10", "--threshold", "7", "--votes-cast", "110", "-v", "2")
    out, err = run_both(tmp_path, "A,79\nB,8\n", *args)
    assert out == "party,seats\nA,9\nB,1\n"  # B: 8 of 110 votes cast, 7.3%
    assert "read the figures as vote counts" in err and "votes cast = 110" in err


def test_votes_cast_fewer_than_the_lists_are_refused(tmp_path):
    msg = fails(tmp_path, "A,790\nB,60\n", "--votes-cast", "800")
    assert "votes cast (800) are fewer than the votes of the lists (850)" in msg


@pytest.mark.parametrize("bad", ["0", "-5", "many", "nan"])
def test_votes_cast_that_are_not_a_positive_number_are_refused_by_the_parser(tmp_path, bad):
    with pytest.raises((CommandError, SystemExit)):
        run(tmp_path, "A,1\n", "--seats", "1", "--votes-cast", bad)


# --- outcomes a script must not take at face value (stderr; stdout stays CSV) ----------------


def test_every_list_under_the_threshold_exits_0_with_zero_seats_and_a_warning_k3(tmp_path):
    out, err = run_both(tmp_path, "A,6.5\nB,5.5\n", "--seats", "10", "--threshold", "7")
    assert out == "party,seats\nA,0\nB,0\n"
    assert "warning: no list reached the threshold of 7% of votes cast (100)" in err


def test_no_votes_at_all_exits_0_with_zero_seats_and_a_warning(tmp_path):
    out, err = run_both(tmp_path, "A,0\nB,0\n", "--seats", "10")
    assert out == "party,seats\nA,0\nB,0\n"
    assert "warning: no list has any votes" in err


def test_a_seat_decided_by_the_tie_rule_is_reported_on_stderr(tmp_path):
    out, err = run_both(tmp_path, "B,500\nA,500\n", "--seats", "3", *COUNTS)
    assert out == "party,seats\nA,2\nB,1\n"  # equal votes: the name sorting first wins
    assert "warning: A, B had an equal claim (remainder)" in err
    assert "gave the seat to A" in err and "sorts first alphabetically" in err


def test_no_warning_when_votes_decide(tmp_path):
    assert run_both(tmp_path, "A,600\nB,400\n", "--seats", "3", *COUNTS)[1] == ""


# --- figures as statistics offices write them -------------------------------------------------


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
def test_spaces_between_digit_groups_are_thousands_separators(tmp_path, space):
    text = f"A,1{space}234{space}567\nB,765{space}433\n"
    assert run(tmp_path, text, "--seats", "3") == "party,seats\nA,2\nB,1\n"
    assert "2000000, more than 100" in run_both(tmp_path, text, "--seats", "2", "-v", "2")[1]


def test_a_semicolon_file_with_decimal_commas_reads_as_a_russian_spreadsheet_writes_it(tmp_path):
    text = "Partiya;Golosa\nA;49,5\nB;30,2\nC;20,3\n".replace("Partiya;Golosa", "party;votes")
    out, err = run_both(tmp_path, text, "--seats", "10", "-v", "2")
    assert out == "party,seats\nA,5\nB,3\nC,2\n"
    assert "decimal point" in err  # a decimal comma is a decimal mark: percentages


def test_a_tab_separated_file_is_read(tmp_path):
    text = "party\tvotes\nA\t700\nB\t300\n"
    assert run(tmp_path, text, "--seats", "10") == "party,seats\nA,7\nB,3\n"


@pytest.mark.parametrize(
    "a, b", [('"1,234,567"', '"765,433"'), ("1.234.567", "765.433.000"), ("1 234 567", "765 433")]
)
def test_grouped_figures_in_a_comma_file_are_counts_whatever_the_group_mark(tmp_path, a, b):
    out, err = run_both(tmp_path, f"A,{a}\nB,{b}\n", "--seats", "3", "-v", "2")
    expected = "party,seats\nB,3\nA,0\n" if b.endswith(".000") else "party,seats\nA,2\nB,1\n"
    assert out == expected
    assert "more than 100" in err  # read as counts


def test_dot_grouped_counts_in_a_semicolon_file_are_read(tmp_path):
    out = run(tmp_path, "party;votes\nA;1.234.567\nB;2.765.433\n", "--seats", "4")
    assert out == "party,seats\nB,3\nA,1\n"


def test_a_quoted_decimal_comma_in_a_comma_file_is_a_decimal_mark(tmp_path):
    out = run(tmp_path, 'A,"60,5"\nB,"39,5"\n', "--seats", "10")
    assert out == "party,seats\nA,6\nB,4\n"


def test_a_semicolon_file_names_a_bad_line(tmp_path):
    assert "line 2" in fails(tmp_path, "A;10\nB;1,2,3\n")


@pytest.mark.parametrize(
    "alias, method",
    [
        ("DHONDT", "dhondt"),
        ("d'Hondt", "dhondt"),
        ("Sainte_Lague", "sainte-lague"),
        ("webster", "sainte-lague"),
        ("Hare", "hare"),
        ("hamilton", "hare"),
        ("Droop", "droop"),
    ],
)
def test_other_spellings_of_a_method_name_the_same_method(tmp_path, alias, method):
    text = "A,5100\nB,3000\nC,1900\n"
    assert run(tmp_path, text, "--seats", "7", "--method", alias) == run(
        tmp_path, text, "--seats", "7", "--method", method
    )


def test_a_threshold_with_a_decimal_comma_is_read(tmp_path):
    text = "A,5100\nB,3000\nC,740\nD,1160\n"
    assert run(tmp_path, text, "--seats", "10", "--threshold", "7,5") == run(
        tmp_path, text, "--seats", "10", "--threshold", "7.5"
    )


CYRILLIC = "party;votes\nНур Отан;700\nАк Жол;300\n"


def test_a_windows_1251_file_is_read_with_a_note(tmp_path):
    out, err = run_bytes(tmp_path, CYRILLIC.encode("cp1251"), "--seats", "10")
    assert out == "party,seats\nНур Отан,7\nАк Жол,3\n"
    assert "read it as Windows-1251" in err


def test_a_utf_16_file_is_read_quietly(tmp_path):
    out, err = run_bytes(tmp_path, CYRILLIC.encode("utf-16"), "--seats", "10")
    assert out == "party,seats\nНур Отан,7\nАк Жол,3\n"
    assert err == ""


def test_a_binary_file_is_refused_as_not_text(tmp_path):
    with pytest.raises(CommandError, match="save it as CSV UTF-8"):
        run_bytes(tmp_path, b"PK\x03\x04\x14\x00\x00\x00binary", "--seats", "10")


def test_a_file_with_an_official_seats_column_is_read_and_the_seats_are_computed(tmp_path):
    text = "party,votes,seats\nA,700,6\nB,300,4\n"
    assert run(tmp_path, text, "--seats", "10") == "party,seats\nA,7\nB,3\n"
    # Without that header, a third field is still an error naming the line.
    assert "line 1" in fails(tmp_path, "A,700,6\nB,300,4\n")


def test_trailing_empty_cells_are_ignored(tmp_path):
    text = "party,votes,\nA,700,\nB,300,,\n"
    assert run(tmp_path, text, "--seats", "10") == "party,seats\nA,7\nB,3\n"
    assert "found 3" in fails(tmp_path, "A,700,x\n")


# --- the article's elections through the command (K-3, K-4, K-6) -----------------------------

ARTICLE_FILES = {
    "1999": (ARTICLE_1999, "10", "Otan,4\nCPK,2\nAgrarian,2\nCivil,2\n"),
    "2004": (
        "Otan,60.61\nAk Zhol,12.04\nAsar,11.38\nAIST,7.07\n",
        "10",
        "Otan,7\nAk Zhol,1\nAsar,1\nAIST,1\n",
    ),
    "2007": ("Nur Otan,88.41\n", "98", "Nur Otan,98\n"),
    "2012": ("Nur Otan,80.99\nAk Zhol,7.47\nCPPK,7.19\n", "98", "Nur Otan,83\nAk Zhol,8\nCPPK,7\n"),
}


@pytest.mark.parametrize("year", sorted(ARTICLE_FILES))
def test_the_default_method_with_a_7_percent_threshold_reproduces_the_article_k6(tmp_path, year):
    text, seats, expected = ARTICLE_FILES[year]
    assert run(tmp_path, text, "--seats", seats, "--threshold", "7") == "party,seats\n" + expected


def test_droop_gives_the_same_seats_from_percentages_and_from_the_same_shares_as_counts(tmp_path):
    shares = "Nur Otan,80.99\nAk Zhol,7.47\nCPPK,7.19\n"
    counts = "Nur Otan,8099\nAk Zhol,747\nCPPK,719\n"
    args = ("--seats", "98", "--threshold", "7", "--method", "droop")
    from_shares = run(tmp_path, shares, *args)
    assert from_shares == run(tmp_path, counts, *args, "--votes-cast", "10000")
    assert from_shares == "party,seats\nNur Otan,83\nAk Zhol,8\nCPPK,7\n"


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("allocate_seats", str(tmp_path / "none.csv"), "--seats", "5")


def test_zero_seats_are_refused(tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        run(tmp_path, "A,1\n", "--seats", "0")


def test_impossible_settings_are_refused_by_the_allocator(tmp_path):
    assert "guaranteed number of parties cannot be negative" in fails(
        tmp_path, "A,1\n", "--min-parties", "-1"
    )


def test_the_error_goes_to_stderr_with_a_non_zero_exit_code(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "bad.csv"
    path.write_text("A,10\nB,-1\n")
    proc = subprocess.run(
        [sys.executable, "manage.py", "allocate_seats", str(path), "--seats", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "line 2: votes cannot be negative" in proc.stderr


def test_a_dash_reads_the_results_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("party,votes\nA,70\nB,30\n"))
    out = io.StringIO()
    call_command("allocate_seats", "-", "--seats", "10", stdout=out)
    assert out.getvalue() == "party,seats\nA,7\nB,3\n"


def test_a_threshold_that_is_not_a_percentage_is_refused_by_the_parser(tmp_path, capsys):
    with pytest.raises((CommandError, SystemExit)):
        run(tmp_path, "A,1\n", "--seats", "1", "--threshold", "150")


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        ("1e999999999", "out of range"),
        ("0.0000001", "out of range"),
        ("1.1234567", "more than 6 decimal places"),
    ],
)
def test_absurd_figures_are_refused_with_the_line(tmp_path, figure, message):
    assert f"line 2: votes '{figure}'" in fails(tmp_path, f"A,1\nB,{figure}\n")
    assert message in fails(tmp_path, f"A,1\nB,{figure}\n")
