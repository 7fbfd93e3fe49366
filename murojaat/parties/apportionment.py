"""Seat allocation among party lists: a pure module, no Django, no database.

It answers one question: given each list's votes, the number of seats and an election law's rules,
how many seats does each list get? The rules are those the article describes (K-3: a threshold of
7% of the votes of those who voted; K-4: 98 list seats) plus the usual methods a law may choose.

Methods (``Method``):

- ``hare``: largest remainder with the Hare quota ``V / S`` (exact fraction). Kazakhstan's Majilis
  lists; it reproduces all four published results of the article (K-6, see docs/parties.md).
- ``droop``: largest remainder with the Droop quota ``floor(V / (S + 1)) + 1`` (the definition of
  votelib and of most statutes) counted in units of the data's *resolution*: the ``+ 1`` is one
  vote for counts and one unit of the finest decimal place for fractional figures (0.01 for
  percentages with two decimals). Equivalently, the figures are scaled to whole numbers by their
  resolution and the integer formula applies, so a file of percentages and a file of the same
  shares as counts give the same seats. With tiny figures or very many seats the quota stage
  can still leave more seats than lists; then the remainder round repeats in the same order
  until every seat is filled (votelib leaves such seats empty; a legislature cannot).
- ``dhondt``: highest averages with divisors 1, 2, 3, ...
- ``sainte-lague``: highest averages with divisors 1, 3, 5, ...

``V`` is the sum of the votes of the lists that take part in the allocation (those that passed the
threshold, or were admitted by a guarantee), not the votes cast: votes for lists below the
threshold are lost, which is what a threshold means.

Threshold: a share of the *votes cast* (K-3 "votes of the electors having gone to the polls"), met
when ``votes >= threshold * votes_cast`` (the law says "not less than"). ``votes_cast`` may exceed
the sum of the lists given, e.g. when only parties over the threshold are published (K-6).

Guarantee (``min_parties``): a rule variant some laws add. Kazakhstan's election law, amended after
the 2007 election in which one party took every list seat, admits the next list(s) by votes when
fewer than ``min_parties`` lists pass the threshold. An admitted list that would still receive no
seat gets one, taken from the list with the most seats (the ruling party's surplus), so that the
guarantee means what it says.

Ties (``TieRule``, part of each election's law): when lists have an equal claim to a seat (equal
remainder, equal quotient, or equal votes for a guarantee), ``TieRule.EARLIER_REGISTRATION`` gives
it to the list registered earlier (Kazakhstan's Constitutional Law on Elections: "if parties have an
equal largest remainder, the party that was registered first is awarded the seat"), with the
registration order passed as ``registration_order`` (1 = registered first); a list without a known
order comes after every list with one. ``TieRule.MORE_VOTES`` (the rule of laws that name none)
gives it to the list with more votes. Either way the last resort is the name that sorts first
(case-insensitive, then exact), so the outcome is deterministic. Every tie decided is reported in
``Allocation.ties`` with the rule that decided it, so a user can see that the tie rule, not votes,
decided a seat.

Votes may be ``int``, ``Fraction``, ``Decimal`` or a numeric string; arithmetic is exact
(``Fraction``), never float, so 7.00% passes a 7% threshold and remainders compare exactly.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

Number = int | Fraction | Decimal | str

TIE_RULE = (
    "Equal claims to a seat go to the list with more votes; with equal votes, to the name that "
    "sorts first alphabetically (case-insensitive)."
)


class TieRule(StrEnum):
    """Who gets a seat two lists have an equal claim to (see the module docstring)."""

    EARLIER_REGISTRATION = "earlier-registration"
    MORE_VOTES = "more-votes"


TIE_RULES = {
    TieRule.EARLIER_REGISTRATION: (
        "Equal claims to a seat go to the list registered earlier; lists without a known "
        "registration order come after; then the name that sorts first."
    ),
    TieRule.MORE_VOTES: TIE_RULE,
}


#: Bounds on a single figure (votes, votes cast, threshold): far beyond any electorate, but
#: small enough that exact arithmetic stays fast.
MAX_FIGURE = Decimal(10) ** 15
MIN_FIGURE = Decimal(10) ** -12
MAX_DECIMALS = 12


class Method(StrEnum):
    HARE = "hare"
    DROOP = "droop"
    DHONDT = "dhondt"
    SAINTE_LAGUE = "sainte-lague"

    @property
    def is_largest_remainder(self) -> bool:
        return self in (Method.HARE, Method.DROOP)


class ApportionmentError(ValueError):
    """The input cannot be apportioned; the message says why, in plain words."""


@dataclass(frozen=True)
class Tie:
    """Lists that had an equal claim to the last contested seat(s), and who won."""

    stage: str  # "remainder", "quotient" or "guarantee"
    contenders: tuple[str, ...]
    winners: tuple[str, ...]
    rule: str = TieRule.MORE_VOTES.value


@dataclass(frozen=True)
class Allocation:
    """The outcome: seats for every list given (0 for those without), and how it came about."""

    seats: dict[str, int]
    method: Method
    total_seats: int
    threshold: Fraction
    votes_cast: Fraction
    qualified: tuple[str, ...]  # passed the threshold
    admitted: tuple[str, ...] = ()  # joined through the min_parties guarantee
    quota: Fraction | None = None  # largest-remainder methods only
    ties: tuple[Tie, ...] = field(default_factory=tuple)
    tie_rule: str = TieRule.MORE_VOTES.value

    def ordered(self, votes: Mapping[str, Number] | None = None) -> list[tuple[str, int]]:
        """(list, seats) by seats descending, then votes descending, then name."""
        exact = {k: to_fraction(v) for k, v in (votes or {}).items()}
        return sorted(
            self.seats.items(),
            key=lambda kv: (-kv[1], -exact.get(kv[0], Fraction(0)), *_name_key(kv[0])),
        )


def to_fraction(value: Number) -> Fraction:
    """Exact value of a vote figure; rejects floats on purpose (0.1 is not a tenth)."""
    if isinstance(value, bool):
        raise ApportionmentError("Votes must be numbers, not true/false.")
    if isinstance(value, int):
        return to_fraction(Decimal(value)) if abs(value) > MAX_FIGURE else Fraction(value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ApportionmentError(f"Votes must be finite numbers, got {value}.")
        # Fraction(Decimal("1e999999999")) would build a billion-digit integer: refuse figures
        # no election produces before they cost memory and time.
        if value and not MIN_FIGURE <= value.copy_abs() <= MAX_FIGURE:
            raise ApportionmentError(f"{value} is out of range for a vote figure.")
        if value.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
            raise ApportionmentError(f"{value} has more than {MAX_DECIMALS} decimal places.")
        return Fraction(value)
    if isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except ArithmeticError as exc:
            raise ApportionmentError(f"{value!r} is not a number.") from exc
        return to_fraction(dec)
    raise ApportionmentError(f"Unsupported vote figure {value!r}; use int, Decimal or a string.")


def _name_key(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def _priority(name: str, votes: Fraction) -> tuple[Fraction, str, str]:
    """Sort key implementing TIE_RULE after the primary criterion (smaller sorts first)."""
    return (-votes, *_name_key(name))


Priority = Callable[[str], tuple[object, ...]]


def _priority_for(
    rule: TieRule, votes: Mapping[str, Fraction], order: Mapping[str, int] | None
) -> Priority:
    """The sort key a tie rule gives (smaller wins): registration order or votes, then name."""
    if rule is TieRule.EARLIER_REGISTRATION:
        known = order or {}
        unknown = 1 + max(known.values(), default=0)
        return lambda n: (known.get(n, unknown), -votes[n], *_name_key(n))
    return lambda n: _priority(n, votes[n])


def hare_quota(total: Fraction, seats: int) -> Fraction:
    return total / seats


def resolution(votes: Iterable[Fraction]) -> int:
    """The scale ``L`` that turns every figure into a whole number of the data's smallest unit.

    Counts give 1; decimal figures give the power of ten of their finest decimal place (trailing
    zeros do not count, because the database stores figures with fixed places and the same file
    must give the same seats from the command and from a stored election); other fractions give
    the least common multiple of their denominators.
    """
    scale = 1
    for v in votes:
        scale = math.lcm(scale, v.denominator)
    if scale == 1:
        return 1
    rest = scale
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        return scale
    power = 1
    while power % scale:
        power *= 10
    return power


def droop_quota(total: Fraction, seats: int, scale: int = 1) -> Fraction:
    """``floor(V / (S + 1)) + 1`` with V counted in units of ``1 / scale`` (see ``resolution``)."""
    return Fraction(int(total * scale / (seats + 1)) + 1, scale)


def _largest_remainder(
    votes: dict[str, Fraction],
    seats: int,
    method: Method,
    scale: int = 1,
    priority: Priority | None = None,
    rule: str = TieRule.MORE_VOTES.value,
) -> tuple[dict[str, int], Fraction, list[Tie]]:
    prio = priority or (lambda n: _priority(n, votes[n]))
    total = sum(votes.values(), Fraction(0))
    hare = method is Method.HARE
    quota = hare_quota(total, seats) if hare else droop_quota(total, seats, scale)
    result: dict[str, int] = {}
    remainders: dict[str, Fraction] = {}
    for name, v in votes.items():
        whole = int(v / quota)  # floor for non-negative values
        result[name] = whole
        remainders[name] = v / quota - whole
    left = seats - sum(result.values())
    ties: list[Tie] = []
    if left < 0:  # cannot happen with Hare or Droop; guard against future quotas
        raise ApportionmentError("The quota awarded more seats than there are.")
    # With Hare, left < len(votes) always; only Droop's "+ 1" on tiny figures can exceed it.
    if left:
        order = sorted(votes, key=lambda n: (-remainders[n], *prio(n)))
        rounds, extra = divmod(left, len(order))
        winners = order[:extra]
        for name in order:
            result[name] += rounds + (name in winners)
        if extra:
            cut = remainders[order[extra - 1]]
            if remainders[order[extra]] == cut:
                contenders = tuple(n for n in order if remainders[n] == cut)
                ties.append(
                    Tie("remainder", contenders, tuple(n for n in contenders if n in winners), rule)
                )
    return result, quota, ties


def _highest_averages(
    votes: dict[str, Fraction],
    seats: int,
    method: Method,
    priority: Priority | None = None,
    rule: str = TieRule.MORE_VOTES.value,
) -> tuple[dict[str, int], list[Tie]]:
    """Divisor methods: seats go one by one to the highest quotient ``votes / divisor(held)``.

    Seat by seat is O(S log P), slow for thousands of seats, so the first seats are given in one
    step: every quotient at or above a level ``lam`` chosen so that no more than ``seats`` of them
    exist. That set is a prefix of the seat-by-seat order (ties at ``lam`` included), so the result
    is identical; the heap then gives the few remaining seats.
    """
    step = 1 if method is Method.DHONDT else 2  # divisors 1, 2, 3... or 1, 3, 5...
    live = {n: v for n, v in votes.items() if v > 0}
    result = dict.fromkeys(votes, 0)
    if not live or not seats:
        return result, []
    total = sum(live.values(), Fraction(0))
    if method is Method.DHONDT:
        lam = total / seats
        for n, v in live.items():
            result[n] = int(v / lam)  # divisors k with v / k >= lam
    elif 2 * seats > len(live):
        lam = total / (2 * seats - len(live))
        for n, v in live.items():
            result[n] = int((v / lam + 1) / 2)  # divisors 2k+1 with v / (2k+1) >= lam

    def divisor(held: int) -> int:
        return 1 + step * held

    # Heap entries: (-quotient, tie-rule key, name): the tuple order *is* the tie rule.
    prio = priority or (lambda n: _priority(n, votes[n]))
    heap = [(-v / divisor(result[n]), prio(n), n) for n, v in live.items()]
    heapq.heapify(heap)
    for _ in range(seats - sum(result.values())):
        _q, key, name = heapq.heappop(heap)
        result[name] += 1
        heapq.heappush(heap, (-live[name] / divisor(result[name]), key, name))
    # A tie decided a seat when the last quotient awarded equals the best one not awarded.
    last = {n: v / divisor(result[n] - 1) for n, v in live.items() if result[n]}
    nxt = {n: v / divisor(result[n]) for n, v in live.items()}
    ties: list[Tie] = []
    if last and min(last.values()) == max(nxt.values()):
        cut = min(last.values())
        winners = tuple(sorted((n for n, q in last.items() if q == cut), key=_name_key))
        losers = {n for n, q in nxt.items() if q == cut}
        contenders = tuple(sorted({*winners, *losers}, key=_name_key))
        ties.append(Tie("quotient", contenders, winners, rule))
    return result, ties


def allocate(
    votes: Mapping[str, Number],
    seats: int,
    *,
    method: Method | str = Method.HARE,
    threshold: Number = 0,
    votes_cast: Number | None = None,
    min_parties: int = 0,
    tie_rule: TieRule | str = TieRule.MORE_VOTES,
    registration_order: Mapping[str, int] | None = None,
) -> Allocation:
    """Allocate ``seats`` among the lists in ``votes``.

    ``threshold`` is a share (0.07 for 7%, as Decimal/Fraction/str) of ``votes_cast``, which
    defaults to the sum of ``votes``. ``min_parties`` is the guarantee variant, ``tie_rule`` and
    ``registration_order`` decide equal claims (see module doc).
    Raises ``ApportionmentError`` with a plain message for impossible input.
    """
    try:
        method = Method(method)
    except ValueError as exc:
        choices = ", ".join(m.value for m in Method)
        raise ApportionmentError(f"Unknown method {method!r}; choose one of {choices}.") from exc
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
        raise ApportionmentError("The number of seats must be a whole number, 0 or more.")
    exact: dict[str, Fraction] = {}
    for name, v in votes.items():
        if not isinstance(name, str) or not name.strip():
            raise ApportionmentError("Every list needs a name.")
        fv = to_fraction(v)
        if fv < 0:
            raise ApportionmentError(f"Votes cannot be negative ({name}: {v}).")
        exact[name] = fv
    share = to_fraction(threshold)
    if not 0 <= share <= 1:
        raise ApportionmentError("The threshold must be a share between 0 and 1 (0% to 100%).")
    listed = sum(exact.values(), Fraction(0))
    cast = listed if votes_cast is None else to_fraction(votes_cast)
    if cast < listed:
        raise ApportionmentError(
            f"Votes cast ({cast}) cannot be fewer than the votes of the lists ({listed})."
        )
    if min_parties < 0:
        raise ApportionmentError("The guaranteed number of parties cannot be negative.")
    try:
        rule = TieRule(tie_rule)
    except ValueError as exc:
        choices = ", ".join(r.value for r in TieRule)
        raise ApportionmentError(
            f"Unknown tie rule {tie_rule!r}; choose one of {choices}."
        ) from exc
    prio = _priority_for(rule, exact, registration_order)

    qualified = [n for n, v in exact.items() if v > 0 and v >= share * cast]
    admitted: list[str] = []
    ties: list[Tie] = []
    if len(qualified) < min_parties:
        rest = sorted(
            (n for n, v in exact.items() if v > 0 and n not in qualified),
            key=lambda n: (-exact[n], *prio(n)),
        )
        need = min_parties - len(qualified)
        admitted = rest[:need]
        if need < len(rest) and exact[rest[need]] == exact[rest[need - 1]]:
            cut = exact[rest[need - 1]]
            contenders = tuple(n for n in rest if exact[n] == cut)
            winners = tuple(n for n in contenders if n in admitted)
            ties.append(Tie("guarantee", contenders, winners, rule.value))
    eligible = {n: exact[n] for n in exact if n in qualified or n in admitted}

    result = dict.fromkeys(exact, 0)
    quota: Fraction | None = None
    if seats and eligible:
        if method.is_largest_remainder:
            scale = resolution(exact.values())
            got, quota, more = _largest_remainder(eligible, seats, method, scale, prio, rule.value)
        else:
            got, more = _highest_averages(eligible, seats, method, prio, rule.value)
        result.update(got)
        ties.extend(more)
        for name in sorted(admitted, key=lambda n: _priority(n, exact[n])):
            if result[name] == 0:
                donor = min(
                    (n for n in eligible if result[n] > 1),
                    key=lambda n: (-result[n], *_priority(n, exact[n])),
                    default=None,
                )
                if donor is not None:
                    result[donor] -= 1
                    result[name] += 1
    return Allocation(
        seats=result,
        method=method,
        total_seats=seats,
        threshold=share,
        votes_cast=cast,
        qualified=tuple(qualified),
        admitted=tuple(admitted),
        quota=quota,
        ties=tuple(ties),
        tie_rule=rule.value,
    )


def percent(value: Number) -> Fraction:
    """A percentage figure (``"7"``, ``Decimal("7.5")``) as the share ``allocate`` expects."""
    return to_fraction(value) / 100


def compare_methods(
    votes: Mapping[str, Number],
    seats: int,
    *,
    methods: Iterable[Method | str] = tuple(Method),
    thresholds: Iterable[Number] = (0,),
    votes_cast: Number | None = None,
    min_parties: int = 0,
    tie_rule: TieRule | str = TieRule.MORE_VOTES,
    registration_order: Mapping[str, int] | None = None,
) -> list[Allocation]:
    """What-if: one allocation per (threshold, method), in the order given."""
    return [
        allocate(
            votes,
            seats,
            method=m,
            threshold=t,
            votes_cast=votes_cast,
            min_parties=min_parties,
            tie_rule=tie_rule,
            registration_order=registration_order,
        )
        for t in thresholds
        for m in methods
    ]
