"""Close, verify or rebuild the month-end figures (R-ORG-7).

manage.py month_figures                  close every ended month not closed yet (and count the
                                         figures of months closed before figures were stored)
manage.py month_figures --verify 2026-11 derive November again from the events and compare
manage.py month_figures --rebuild 2026-11 replace November's facts by a fresh derivation
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from murojaat.reports import monthly


def _month(value: str) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in value.split("-", 1))
        if not 1 <= month <= 12:
            raise ValueError
    except ValueError as err:
        raise CommandError(f"expected YYYY-MM, got {value!r}") from err
    return year, month


class Command(BaseCommand):
    help = "Close ended months; verify or rebuild a closed month's figures from the events."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--verify", metavar="YYYY-MM", help="compare a closed month")
        group.add_argument("--verify-all", action="store_true", help="compare every closed month")
        group.add_argument("--rebuild", metavar="YYYY-MM", help="re-derive a closed month")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            year, month = _month(options["rebuild"])
            record = monthly.rebuild_month(year, month)
            self.stdout.write(f"{record}: rebuilt, {record.facts} facts, digest {record.digest}")
            return
        if options["verify"] or options["verify_all"]:
            if options["verify"]:
                months = [_month(options["verify"])]
            else:
                months = list(
                    monthly.MonthClose.objects.order_by("year", "month").values_list(
                        "year", "month"
                    )
                )
            failed = 0
            for year, month in months:
                if monthly.closed(year, month) is None:
                    raise CommandError(f"{year:04d}-{month:02d} is not closed")
                check = monthly.verify_month(year, month)
                state = "same" if check.ok else "DIFFERENT"
                self.stdout.write(
                    f"{year:04d}-{month:02d}: {state} (stored {check.stored[:12]}, "
                    f"rows {check.stored_rows[:12]}, events {check.derived[:12]})"
                )
                failed += not check.ok
            if failed:
                raise CommandError(f"{failed} month(s) differ from the event history")
            return
        months = monthly.months_to_close()
        for year, month in months:
            record = monthly.close_month(year, month)
            self.stdout.write(f"{record}: closed, {record.facts} facts")
        if not months:
            self.stdout.write("Nothing to close.")
        for year, month in monthly.months_to_count():
            record = monthly.count_figures(year, month)
            self.stdout.write(f"{record}: {record.figures} figures counted")
