"""``manage.py allocate_seats RESULTS.csv --seats N --threshold P --method M``, for scripts.

Reads ``party,votes`` (counts or percentages, header optional; ``-`` reads stdin) and prints
``party,seats`` as CSV: seats descending, then votes descending, then name. A bad file stops with
a message naming the line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from murojaat.parties import apportionment, results_csv


def _percent(value: str) -> Decimal:
    try:
        number = Decimal(value.rstrip("%"))
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(value)
    return number


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
            "--method", choices=[m.value for m in apportionment.Method], default="hare"
        )
        parser.add_argument(
            "--unit",
            choices=["auto", "count", "percent"],
            default="auto",
            help="votes as counts or percentages; auto: percent if any '%%' or decimal",
        )
        parser.add_argument(
            "--language",
            default="en",
            help="language of error messages (default en, so scripts can match them)",
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
            raise CommandError("--seats must be at least 1")
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{name}: cannot read the file ({exc})") from exc
        try:
            parsed = results_csv.parse(text, unit=options["unit"])
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
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["party", "seats"])
        for party, seats in allocation.ordered(parsed.votes):
            writer.writerow([party, seats])
