"""Reading ``party,votes`` files: one parser for the command, the import page and the API.

Pure apart from translating its messages. Errors name the line, because the people who send
these files fix them in a spreadsheet and need to know where to look. Votes are exact
``Decimal`` values; a trailing ``%`` marks a share; spaces of any width between digit groups
(``1 234 567`` with a no-break or thin space, as statistics offices publish) are ignored.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

HEADER = ("party", "votes")
SEATS_HEADERS = {("party", "votes", "seats"), ("party", "votes", "official_seats")}

#: Units a caller may name; ``count`` is the older spelling of ``counts``.
UNITS = ("auto", "counts", "count", "percent")

#: Published percentages are rounded per list, so their sum may exceed 100 a little (100.01,
#: 100.3). Up to this sum they are accepted and the votes cast are the sum; above it the file
#: is refused, because no rounding explains it.
PERCENT_TOLERANCE_SUM = Decimal("100.5")

#: Decimal places a figure may have: the database column (``ElectionResult.votes``) stores as
#: many, so a file imported into an election computes the same seats as the command.
MAX_DECIMALS = 6

#: Characters spreadsheets and statistics offices put between digit groups: space, no-break
#: space, narrow no-break space, thin space, figure space.
DIGIT_GROUP_SEPARATORS = " \u00a0\u202f\u2009\u2007"
_SEPARATOR_TABLE = str.maketrans("", "", DIGIT_GROUP_SEPARATORS)


#: Delimiters a results file may use: a comma, or the semicolon and tab that spreadsheets write
#: where the comma is the decimal mark (Russian and Uzbek locales).
DELIMITERS = (",", ";", "\t")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}(?:\.\d{3})+,\d+")
_DECIMAL_COMMA = re.compile(r"\d*,\d+")


def _delimiter(text: str, width: int) -> str:
    """The comma, unless the first line has the expected fields only when split at a
    semicolon or a tab (``Party;Votes`` from a spreadsheet in a comma-decimal locale)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {}
    for delimiter in DELIMITERS:
        row = next(csv.reader([first], delimiter=delimiter, skipinitialspace=True), [])
        while len(row) > width and not row[-1].strip():
            row.pop()
        counts[delimiter] = len(row)
    if 2 <= counts[","] <= width:
        return ","
    return next((d for d in DELIMITERS[1:] if 2 <= counts[d] <= width), ",")


def _declares_seats(text: str) -> bool:
    """Whether the header names an official-seats column (``party,votes,seats``)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    row = next(csv.reader([first], delimiter=_delimiter(text, 3), skipinitialspace=True), [])
    return tuple(c.strip().casefold() for c in row) in SEATS_HEADERS


def _plain_number(number: str, delimiter: str) -> str:
    """A figure as ``Decimal`` reads it, from the ways spreadsheets write one.

    ``1,234,567`` (a quoted US figure), ``1.234.567`` and ``765.433,5`` drop their group marks;
    in a file separated by semicolons or tabs the comma is the decimal mark (``49,5``), as it is
    in a comma-separated file when the figure does not have groups of three (``"49,5"``).
    """
    if "," not in number and number.count(".") < 2:
        return number
    if _DOT_GROUPS.fullmatch(number):
        return number.replace(".", "").replace(",", ".")
    if delimiter == "," and _COMMA_GROUPS.fullmatch(number):
        return number.replace(",", "")
    if _DECIMAL_COMMA.fullmatch(number):
        return number.replace(",", ".")
    return number


#: Encodings a results file is read in, in this order: UTF-8 (with or without the byte-order
#: mark Excel writes), UTF-16 when it starts with its byte-order mark (Excel's "Unicode text"),
#: then Windows-1251, in which Excel saves "CSV" in Russian, Kazakh and Uzbek Cyrillic locales.
FALLBACK_ENCODING = "cp1251"


def decode(raw: bytes) -> tuple[str, str]:
    """The text of an uploaded or read file, and the encoding it was read in."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    not_text = ResultsFileError(
        _("the file is neither UTF-8, UTF-16 nor Windows-1251 text; save it as CSV UTF-8")
    )
    if b"\x00" in raw:
        raise not_text  # a spreadsheet or another binary file, not its CSV export
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(FALLBACK_ENCODING), FALLBACK_ENCODING
    except UnicodeDecodeError:
        raise not_text from None


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
    #: Votes of all who voted, in the figures' unit: given by the caller, else 100 for
    #: percentages (the sum when rounding pushed it a little over 100), else the sum of counts.
    votes_cast: Decimal = Decimal(0)
    #: In ``auto`` mode, why the figures were read as percentages or counts (for a note).
    assumption: str = ""
    #: True when only the size of whole numbers decided (rule 2 of ``_is_percent``): the one
    #: reading a person could mean otherwise, so the command says it even when not verbose.
    guessed: bool = False


def _is_percent(
    votes: dict[str, Decimal], marked: bool, pointed: bool, votes_cast: Decimal | None
) -> tuple[bool, str]:
    """The ``auto`` rule, in this order (documented in docs/parties.md):

    1. a ``%`` sign on any figure, or any figure written with a decimal point: percentages (a
       count of votes is a whole number);
    2. whole numbers adding up to at most 100, unless votes cast over 100 are given:
       percentages (no real election's count data is that small; real results published as
       rounded whole percentages are);
    3. otherwise counts.
    """
    total = sum(votes.values(), Decimal(0))
    if marked:
        return True, _("a figure ends with a percent sign")
    if pointed:
        return True, _("a figure has a decimal point")
    if total <= 100 and (votes_cast is None or votes_cast <= 100):
        return True, _("whole numbers adding up to %(sum)s, at most 100") % {"sum": total}
    return False, _("whole numbers adding up to %(sum)s, more than 100") % {"sum": total}


def parse(
    text: str,
    *,
    unit: str = "auto",
    with_seats: bool = False,
    votes_cast: Decimal | None = None,
) -> Results:
    """Parse ``party,votes`` lines; the header line is optional.

    ``with_seats`` (the import page) also accepts ``party,votes,seats``: official seats in a third
    column, which may be empty; without it, so does a file whose header declares that column
    (the command then leaves the seats unused). Otherwise a line has two fields, apart from
    trailing empty cells (``A,100,``), which spreadsheets write and which are ignored.

    ``unit``: ``counts``, ``percent`` or ``auto`` (see ``_is_percent``). ``votes_cast`` is the
    number of all who voted, in the same unit, when the file lists only some lists (K-3: the
    threshold is a share of it). Raises ``ResultsFileError`` naming the first bad line.
    """
    if unit not in UNITS:
        raise ResultsFileError(
            _("unknown unit %(unit)r; use auto, counts or percent") % {"unit": unit}
        )
    if text.startswith("\ufeff"):
        text = text[1:]  # Excel writes a byte-order mark
    votes: dict[str, Decimal] = {}
    seats: dict[str, int] = {}
    first_line: dict[str, int] = {}
    marked = False
    pointed = False
    fractional = False
    with_seats = with_seats or _declares_seats(text)
    width = 3 if with_seats else 2
    delimiter = _delimiter(text, width)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    for row in rows:
        line = rows.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        while len(row) > width and not row[-1].strip():
            row.pop()
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
                % {"n": len(row), "text": delimiter.join(row)},
                line,
            )
        name, raw = row[0].strip(), row[1].strip()
        if not name:
            raise ResultsFileError(_("the party name is empty"), line)
        is_pct = raw.endswith("%")
        number = _plain_number((raw[:-1] if is_pct else raw).translate(_SEPARATOR_TABLE), delimiter)
        try:
            value = Decimal(number)
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
        if value.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
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
        pointed |= "." in number
        fractional |= value != value.to_integral_value()
        votes[name] = value
    if not votes:
        raise ResultsFileError(_("the file has no 'party,votes' lines"))
    if votes_cast is not None and (not votes_cast.is_finite() or votes_cast <= 0):
        raise ResultsFileError(_("votes cast must be a number greater than 0"))
    assumption = ""
    guessed = False
    if unit == "auto":
        percent, assumption = _is_percent(votes, marked, pointed, votes_cast)
        guessed = percent and not (marked or pointed)
    else:
        percent = unit == "percent"
        if marked and not percent:
            raise ResultsFileError(_("figures carry '%' but the unit is 'counts'"))
        if fractional and not percent:
            raise ResultsFileError(_("vote counts must be whole numbers"))
    listed = sum(votes.values(), Decimal(0))
    if percent and listed > PERCENT_TOLERANCE_SUM:
        raise ResultsFileError(
            _(
                "the percentages add up to %(sum)s, more than 100 by more than rounding can "
                "explain (at most %(limit)s is accepted)"
            )
            % {"sum": listed, "limit": PERCENT_TOLERANCE_SUM}
        )
    if votes_cast is None:
        cast = max(Decimal(100), listed) if percent else listed
    elif votes_cast < listed:
        raise ResultsFileError(
            _("votes cast (%(cast)s) are fewer than the votes of the lists (%(sum)s)")
            % {"cast": votes_cast, "sum": listed}
        )
    else:
        cast = votes_cast
    return Results(
        votes=votes,
        percent=percent,
        seats=seats,
        votes_cast=cast,
        assumption=assumption,
        guessed=guessed,
    )
