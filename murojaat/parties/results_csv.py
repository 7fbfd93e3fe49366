"""Reading ``party,votes`` files: one parser for the command, the import page and the API.

Pure apart from translating its messages. Errors name the line, because the people who send
these files fix them in a spreadsheet and need to know where to look. Votes are exact
``Decimal`` values; a trailing ``%`` marks a share.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

HEADER = ("party", "votes")
SEATS_HEADERS = {("party", "votes", "seats"), ("party", "votes", "official_seats")}


class ResultsFileError(ValueError):
    """A results file cannot be read; ``line`` is 1-based (None for the whole file)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        if line:
            message = _("line %(line)d: %(message)s") % {"line": line, "message": message}
        super().__init__(message)


@dataclass(frozen=True)
class Results:
    votes: dict[str, Decimal]  # in file order
    percent: bool  # True when the figures are shares of votes cast, in percent
    seats: dict[str, int] = field(
        default_factory=dict
    )  # official seats, when a 3rd column has them

    @property
    def votes_cast(self) -> Decimal:
        """Percent figures are shares of all votes cast: the missing share is lost votes (K-6)."""
        return Decimal(100) if self.percent else sum(self.votes.values(), Decimal(0))


def parse(text: str, *, unit: str = "auto", with_seats: bool = False) -> Results:
    """Parse ``party,votes`` lines; the header line is optional.

    ``with_seats`` (the import page) also accepts ``party,votes,seats``: official seats in a third
    column, which may be empty. The command keeps the strict two-column contract.

    ``unit``: ``count``, ``percent`` or ``auto``. In ``auto``, figures are percentages when any
    carries a ``%`` sign or has a fractional part (vote counts are whole numbers); otherwise they
    are counts. Raises ``ResultsFileError`` naming the first bad line.
    """
    if unit not in ("auto", "count", "percent"):
        raise ResultsFileError(
            _("unknown unit %(unit)r; use auto, count or percent") % {"unit": unit}
        )
    if text.startswith("\ufeff"):
        text = text[1:]  # Excel writes a byte-order mark
    votes: dict[str, Decimal] = {}
    seats: dict[str, int] = {}
    first_line: dict[str, int] = {}
    marked = False
    fractional = False
    rows = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    for row in rows:
        line = rows.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        header = tuple(c.strip().casefold() for c in row)
        if (
            not votes
            and not first_line
            and (header == HEADER or (with_seats and header in SEATS_HEADERS))
        ):
            first_line["\0header"] = line
            continue
        if with_seats and len(row) == 3:
            raw_seats = row.pop().strip()
            if raw_seats:
                if not raw_seats.isdigit() or len(raw_seats) > 6:
                    raise ResultsFileError(
                        _("seats must be a whole number, got %(raw)r") % {"raw": raw_seats}, line
                    )
                seats[row[0].strip()] = int(raw_seats)
        if len(row) != 2:
            raise ResultsFileError(
                _("expected 2 fields 'party,votes', found %(n)d: %(text)r")
                % {"n": len(row), "text": ",".join(row)},
                line,
            )
        name, raw = row[0].strip(), row[1].strip()
        if not name:
            raise ResultsFileError(_("the party name is empty"), line)
        is_pct = raw.endswith("%")
        number = raw[:-1].strip() if is_pct else raw
        try:
            value = Decimal(number.replace(" ", ""))
        except InvalidOperation:
            raise ResultsFileError(
                _("votes must be a number, got %(raw)r") % {"raw": raw}, line
            ) from None
        if not value.is_finite():
            raise ResultsFileError(
                _("votes must be a finite number, got %(raw)r") % {"raw": raw}, line
            )
        if value and not Decimal("1e-6") <= value.copy_abs() <= Decimal("1e15"):
            raise ResultsFileError(
                _("votes %(raw)r are out of range (at most 10^15, at least 0.000001)")
                % {"raw": raw},
                line,
            )
        if value.as_tuple().exponent < -6:  # type: ignore[operator]
            raise ResultsFileError(
                _("votes %(raw)r have more than 6 decimal places") % {"raw": raw}, line
            )
        if value < 0:
            raise ResultsFileError(_("votes cannot be negative, got %(raw)r") % {"raw": raw}, line)
        key = name.casefold()
        if key in first_line:
            raise ResultsFileError(
                _("party %(name)r appears twice (first on line %(first)d)")
                % {"name": name, "first": first_line[key]},
                line,
            )
        first_line[key] = line
        marked |= is_pct
        fractional |= value != value.to_integral_value()
        votes[name] = value
    if not votes:
        raise ResultsFileError(_("the file has no 'party,votes' lines"))
    if unit == "auto":
        percent = marked or fractional
    else:
        percent = unit == "percent"
        if marked and not percent:
            raise ResultsFileError(_("figures carry '%' but the unit is 'count'"))
        if fractional and not percent:
            raise ResultsFileError(_("vote counts must be whole numbers"))
    if percent and sum(votes.values()) > 100:
        raise ResultsFileError(
            _("the percentages add up to %(sum)s, more than 100") % {"sum": sum(votes.values())}
        )
    return Results(votes=votes, percent=percent, seats=seats)
