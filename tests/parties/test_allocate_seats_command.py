"""``manage.py allocate_seats``: the CSV contract for scripts (K-3, K-6 as examples)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command


def run(tmp_path, text: str, *args: str) -> str:
    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("allocate_seats", str(path), *args, stdout=out)
    return out.getvalue()


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


def test_fractional_counts_contradict_the_count_unit(tmp_path):
    assert "whole numbers" in fails(tmp_path, "A,1.5\n", "--unit", "count")


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
