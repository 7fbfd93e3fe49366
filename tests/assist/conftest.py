from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from tests.appeals.helpers import TASHKENT

NOW = datetime(2026, 11, 16, 11, 0, tzinfo=TASHKENT)


@pytest.fixture(autouse=True)
def _clock_in_the_week_of_the_fixtures() -> Iterator[None]:
    """The helpers register appeals on Monday 16 Nov 2026; the clock runs from then."""
    with time_machine.travel(NOW, tick=True):
        yield
