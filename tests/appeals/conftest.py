from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from tests.appeals.helpers import TASHKENT

# The helpers register appeals on Wednesday 18 Nov 2026: day 13 is Tuesday 1 Dec and day 12
# Monday 30 Nov, so a wrong term shows (from a Monday, both would roll to the same Monday).
# Without a clock of the same week, a test that asks for an extension "in advance" would fail
# once the real calendar passes the deadline.
ENGINE_NOW = datetime(2026, 11, 18, 11, 0, tzinfo=TASHKENT)


@pytest.fixture(autouse=True)
def _clock_in_the_week_of_the_fixtures() -> Iterator[None]:
    """The clock runs from the helpers' Monday; a test's own `travel` nests inside it."""
    with time_machine.travel(ENGINE_NOW, tick=True):
        yield
