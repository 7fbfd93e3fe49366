"""``manage.py allocate_seats RESULTS.csv --seats N --threshold P --method M``, for scripts.

Reads ``party,votes`` (counts or percentages, header optional; ``-`` reads stdin) and prints
``party,seats`` as CSV on stdout: every list, lists without a seat included, ordered by seats
descending, then votes descending, then name. stdout stays pure CSV: notes (which unit ``auto``
assumed: by default only when small whole numbers were read as percentages, with ``-v 2``
always) and warnings (no list won a seat; a tie decided a seat) go to stderr. A bad file stops
with a message naming the line on stderr and exit code 1.

An outcome of zero seats for every list (every list under the threshold, or no votes at all)
is a valid computation of the law, so it exits 0 like any other result, with a warning on
stderr saying why.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from murojaat.parties import apportionment, results_csv


def _percent(value: str) -> Decimal:
    try:
        number = Decimal(value.strip().rstrip("%").replace(",", "."))
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(value)
    return number


def _votes_cast(value: str) -> Decimal:
    try:
        number = Decimal(value.translate(str.maketrans("", "", results_csv.DIGIT_GROUP_SEPARATORS)))
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite() or not 0 < number <= Decimal("1e15"):
        raise ValueError(value)
    return number


def _unit(value: str) -> str:
    return "counts" if value == "count" else value


#: Other names the methods go by, so a script written with one of them is not refused.
METHOD_ALIASES = {
    "hamilton": "hare",
    "largest-remainder": "hare",
    "d'hondt": "dhondt",
    "d-hondt": "dhondt",
    "jefferson": "dhondt",
    "sainte-laguë": "sainte-lague",
    "saintelague": "sainte-lague",
    "webster": "sainte-lague",
}


def _method(value: str) -> str:
    key = value.strip().casefold().replace("_", "-").replace(" ", "-")
    return METHOD_ALIASES.get(key, key)


def _read(name: str) -> tuple[str, str]:
    """The file's text and the encoding it was read in (``results_csv.decode``); ``-`` is
    stdin."""
    if name != "-":
        return results_csv.decode(Path(name).read_bytes())
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream with no bytes beneath it (an embedding caller's)
        return sys.stdin.read(), "utf-8"
    return results_csv.decode(buffer.read())


class Command(BaseCommand):
    help = "Allocate list seats from a party,votes CSV file and print party,seats."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("results", help="CSV file of party,votes ('-' for stdin)")
        parser.add_argument("--seats", type=int, required=True, help="seats to allocate")
        parser.add_argument(
            "--threshold",
            type=_percent,
            default=Decimal(0),
            help="threshold in percent of votes cast (e.g. 7)",
        )
        parser.add_argument(
            "--method",
            type=_method,
            choices=[m.value for m in apportionment.Method],
            default="hare",
            help="hare (default), droop, dhondt or sainte-lague (any case; d'hondt, webster "
            "and the like are accepted)",
        )
        parser.add_argument(
            "--unit",
            type=_unit,
            choices=["auto", "counts", "percent"],
            default="auto",
            help=(
                "votes as counts or percentages of votes cast; auto (default): percentages when "
                "any figure has a '%%' sign or a decimal point, or all are whole numbers adding "
                "up to at most 100; counts otherwise"
            ),
        )
        parser.add_argument(
            "--votes-cast",
            type=_votes_cast,
            default=None,
            help=(
                "votes of all who voted, in the figures' unit, when the file lists only some "
                "parties (the threshold is a share of it); default: the sum of counts, or 100 "
                "for percentages"
            ),
        )
        parser.add_argument(
            "--language",
            default="en",
            help="language of messages (default en, so scripts can match them)",
        )
        parser.add_argument(
            "--min-parties",
            type=int,
            default=0,
            help="guarantee: admit the next lists by votes until this many take part",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        name = options["results"]
        if options["seats"] < 1:
            raise CommandError(_("--seats must be at least 1"))
        try:
            text, encoding = _read(name)
            if encoding == results_csv.FALLBACK_ENCODING and options["verbosity"] >= 1:
                self.stderr.write(
                    _("note: the file is not UTF-8; read it as Windows-1251 (Cyrillic)")
                )
            parsed = results_csv.parse(text, unit=options["unit"], votes_cast=options["votes_cast"])
        except OSError as exc:
            raise CommandError(
                _("%(name)s: cannot read the file (%(error)s)") % {"name": name, "error": exc}
            ) from exc
        except results_csv.ResultsFileError as exc:
            raise CommandError(f"{name}: {exc}") from exc
        try:
            allocation = apportionment.allocate(
                parsed.votes,
                options["seats"],
                method=options["method"],
                threshold=apportionment.percent(options["threshold"]),
                votes_cast=parsed.votes_cast,
                min_parties=options["min_parties"],
            )
        except apportionment.ApportionmentError as exc:
            raise CommandError(f"{name}: {exc}") from exc
        # A percent sign, a decimal point or counts over 100 leave no doubt: say so only with
        # -v 2. Small whole numbers read as percentages could be meant as counts: say it always.
        if parsed.assumption and options["verbosity"] > (0 if parsed.guessed else 1):
            self._note(parsed)
        self._warn(allocation, parsed, options["threshold"])
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["party", "seats"])
        for party, seats in allocation.ordered(parsed.votes):
            writer.writerow([party, seats])

    def _note(self, parsed: results_csv.Results) -> None:
        """Say what ``auto`` assumed, because whole numbers like ``A,79`` could be either."""
        if parsed.percent:
            message = _(
                "note: read the figures as percentages of votes cast (%(why)s); votes cast = "
                "%(cast)s; pass --unit counts if they are vote counts"
            )
        else:
            message = _(
                "note: read the figures as vote counts (%(why)s); votes cast = %(cast)s; pass "
                "--unit percent if they are percentages"
            )
        self.stderr.write(message % {"why": parsed.assumption, "cast": parsed.votes_cast})

    def _warn(
        self, allocation: apportionment.Allocation, parsed: results_csv.Results, threshold: Decimal
    ) -> None:
        """Outcomes a script would otherwise take at face value: nobody won, or chance decided."""
        if not any(allocation.seats.values()):
            if not any(parsed.votes.values()):
                self.stderr.write(_("warning: no list has any votes, so no seat is allocated"))
            else:
                self.stderr.write(
                    _(
                        "warning: no list reached the threshold of %(threshold)s%% of votes cast "
                        "(%(cast)s), so no seat is allocated"
                    )
                    % {"threshold": threshold, "cast": parsed.votes_cast}
                )
        for tie in allocation.ties:
            self.stderr.write(
                _(
                    "warning: %(contenders)s had an equal claim (%(stage)s); the tie rule gave "
                    "the seat to %(winners)s: %(rule)s"
                )
                % {
                    "contenders": ", ".join(tie.contenders),
                    "stage": tie.stage,
                    "winners": ", ".join(tie.winners) or "-",
                    "rule": apportionment.TIE_RULE,
                }
            )
