"""Allocations per second for large elections, per method (not a test; prints figures).

Run: .venv/bin/python bench/bench_apportionment.py [--parties 50] [--seats 5000] [--seconds 2]

A "large election" here is national-scale: tens of lists, thousands of seats, vote counts in the
millions, a 5% threshold. Vote counts are integers, as the central election commission reports
them; exact arithmetic (fractions) is part of what is measured.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from murojaat.parties.apportionment import Method, allocate


def elections(n: int, parties: int, rng: random.Random) -> list[dict[str, int]]:
    out = []
    for _ in range(n):
        weights = [rng.paretovariate(1.2) for _ in range(parties)]
        total = sum(weights)
        out.append({f"list-{i:03d}": int(10_000_000 * w / total) for i, w in enumerate(weights)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parties", type=int, default=50)
    parser.add_argument("--seats", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    rng = random.Random(2012)
    pool = elections(50, args.parties, rng)
    print(f"{args.parties} lists, {args.seats} seats, threshold 5%, ~10 million votes")
    print(f"{'method':<14}{'allocations/s':>15}{'ms each':>10}")
    for method in Method:
        done, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < args.seconds:
            allocate(pool[done % len(pool)], args.seats, method=method,
                     threshold=Fraction(5, 100))  # fmt: skip
            done += 1
        print(f"{method.value:<14}{done / elapsed:>15.1f}{1000 * elapsed / done:>10.2f}")


if __name__ == "__main__":
    main()
