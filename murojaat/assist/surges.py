"""The surge rule: is this week's count far above the same topic-and-district's own history?

A simple rule the group can check by hand. Counts of appeals are roughly Poisson, whose spread
is the square root of the mean, so a week is a surge when its count reaches all three of:

- at least ``MIN_COUNT`` appeals (three letters in a village are not a surge, whatever the past);
- twice the weekly mean of the previous weeks;
- the mean plus three times its square root (about a 1-in-1000 week by chance).

With no history (a new district, a new system) the mean is 0 and only ``MIN_COUNT`` applies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_COUNT = 5


@dataclass(frozen=True)
class SurgeRule:
    count: int
    mean: float
    threshold: float

    @property
    def surge(self) -> bool:
        return self.count >= self.threshold


def weekly_rule(count: int, history: Sequence[int]) -> SurgeRule:
    mean = sum(history) / len(history) if history else 0.0
    threshold = max(float(MIN_COUNT), 2 * mean, mean + 3 * math.sqrt(mean))
    return SurgeRule(count=count, mean=round(mean, 2), threshold=round(threshold, 2))
