"""Party-system measures: effective number of parties, Gallagher index, dominance.

Pure. Shares are fractions of votes cast (or of seats). The article publishes only the lists
that passed the threshold (K-6), so part of the vote is "unlisted": it belongs to parties we know
only as a total. Where a measure depends on how that total splits, we return bounds: ``low``
treats the unlisted votes as one party, ``high`` as infinitely many tiny ones (each contributes
nothing to a sum of squares). With complete results the bounds are equal.

- Effective number of parties (Laakso & Taagepera 1979): ``N = 1 / sum(p_i^2)``.
- Gallagher least-squares index (1991): ``LSq = sqrt(sum((v_i - s_i)^2) / 2)`` in percentage
  points, over votes ``v`` and seats ``s``.
- Pedersen volatility (1979): half the sum of the parties' changes in vote share between two
  elections, with blocs and mergers pooled (``pedersen``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Bounds:
    low: float
    high: float

    @property
    def exact(self) -> bool:
        return math.isclose(self.low, self.high)


@dataclass(frozen=True)
class Measures:
    enp_votes: Bounds
    enp_seats: float | None
    gallagher: Bounds | None
    largest_vote_share: float  # percent
    largest_seat_share: float | None  # percent
    unlisted_share: float  # percent of votes cast not attributed to a listed party


def _shares(values: Sequence[Fraction], total: Fraction) -> list[Fraction]:
    return [v / total for v in values] if total else []


def effective_number(shares: Sequence[Fraction], unlisted: Fraction = Fraction(0)) -> Bounds:
    """Laakso-Taagepera N over shares summing (with ``unlisted``) to 1."""
    squares = sum((s * s for s in shares), Fraction(0))
    high = 1 / float(squares) if squares else 0.0
    low_sq = squares + unlisted * unlisted
    low = 1 / float(low_sq) if low_sq else 0.0
    return Bounds(low=low, high=high)


def gallagher(
    vote_shares: Sequence[Fraction], seat_shares: Sequence[Fraction], unlisted: Fraction
) -> Bounds:
    """Gallagher LSq in percentage points; unlisted votes won no seats."""
    diffs = sum(((v - s) ** 2 for v, s in zip(vote_shares, seat_shares, strict=True)), Fraction(0))
    low = math.sqrt(float(diffs) / 2) * 100
    high = math.sqrt(float(diffs + unlisted * unlisted) / 2) * 100
    return Bounds(low=low, high=high)


def measures(
    votes: Sequence[Fraction], seats: Sequence[int] | None, votes_cast: Fraction
) -> Measures:
    """All measures for one election; ``seats`` None when no seat figures exist."""
    listed = sum(votes, Fraction(0))
    cast = max(votes_cast, listed)
    v_sh = _shares(votes, cast)
    unlisted = (cast - listed) / cast if cast else Fraction(0)
    enp_seats: float | None = None
    gal: Bounds | None = None
    largest_seat: float | None = None
    total_seats = 0 if seats is None else sum(int(s) for s in seats)
    if seats is not None and total_seats:
        s_sh = [Fraction(s, total_seats) for s in seats]
        enp_seats = effective_number(s_sh).high
        gal = gallagher(v_sh, s_sh, unlisted)
        largest_seat = float(max(s_sh)) * 100
    return Measures(
        enp_votes=effective_number(v_sh, unlisted),
        enp_seats=enp_seats,
        gallagher=gal,
        largest_vote_share=float(max(v_sh, default=Fraction(0))) * 100,
        largest_seat_share=largest_seat,
        unlisted_share=float(unlisted) * 100,
    )


def pedersen(
    before: Sequence[tuple[frozenset[str], Fraction]],
    after: Sequence[tuple[frozenset[str], Fraction]],
) -> float:
    """Pedersen volatility (1979) between two elections, in percentage points.

    Each list is given as the set of party identities it stands for (one party, or a bloc's
    members) and its votes. Lists that share an identity across the two elections are pooled
    (Bartolini and Mair's rule for blocs, mergers and splits): the 1999 Agrarian and Civil
    parties are compared with the 2004 AIST bloc they formed, 2004's Otan and Asar with 2007's
    Nur Otan. ``V = ½ Σ |p_after − p_before|`` over the pooled groups, shares of the lists' votes.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ids, _votes in (*before, *after):
        first, *rest = sorted(ids)
        for other in rest:
            parent[find(other)] = find(first)

    def pooled(rows: Sequence[tuple[frozenset[str], Fraction]]) -> dict[str, Fraction]:
        total = sum((v for _ids, v in rows), Fraction(0))
        out: dict[str, Fraction] = {}
        for ids, v in rows:
            key = find(min(ids))
            out[key] = out.get(key, Fraction(0)) + (v / total if total else Fraction(0))
        return out

    p0, p1 = pooled(before), pooled(after)
    change = sum(
        (abs(p1.get(k, Fraction(0)) - p0.get(k, Fraction(0))) for k in {*p0, *p1}), Fraction(0)
    )
    return float(change / 2) * 100
