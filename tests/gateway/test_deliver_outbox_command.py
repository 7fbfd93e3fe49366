"""`manage.py deliver_outbox`: once it answers with its counts; in a loop (run by `make run`
beside the web server) it logs only the rounds that found something, not every 30 s."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from murojaat.gateway import outbox
from murojaat.gateway.management.commands import deliver_outbox

IDLE = {"due": 0, "delivered": 0, "failed_attempts": 0, "skipped": 0}
BUSY = {"due": 2, "delivered": 1, "failed_attempts": 1, "skipped": 0}


class Rounds:
    """deliver_pending's results, one per round; the worker's sleep ends the loop after the
    last round as Ctrl-C would."""

    def __init__(self, *results: dict[str, int]) -> None:
        self.results: Iterator[dict[str, int]] = iter(results)
        self.left = len(results)
        self.sleeps: list[float] = []

    def deliver(self, limit: int) -> dict[str, int]:
        self.left -= 1
        return dict(next(self.results))

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.left == 0:
            raise KeyboardInterrupt


@pytest.fixture
def rounds(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(*results: dict[str, int]) -> Rounds:
        fake = Rounds(*results)
        monkeypatch.setattr(outbox, "deliver_pending", fake.deliver)
        monkeypatch.setattr(deliver_outbox.time, "sleep", fake.sleep)
        return fake

    return install


def worker_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "murojaat.gateway.outbox"]


def test_an_idle_loop_logs_its_start_and_nothing_else(rounds, caplog, capsys) -> None:
    fake = rounds(IDLE, IDLE, IDLE)
    with caplog.at_level(logging.INFO, logger="murojaat.gateway.outbox"):
        call_command("deliver_outbox", loop=30)
    assert fake.sleeps == [30, 30, 30]
    assert worker_lines(caplog) == [
        "outbox worker started: a round every 30 s, up to 200 messages each",
        "outbox worker stopped",
    ]
    assert capsys.readouterr().out == ""


def test_the_loop_logs_a_round_that_found_something(rounds, caplog) -> None:
    rounds(IDLE, BUSY, IDLE, {**IDLE, "skipped": 1})
    with caplog.at_level(logging.INFO, logger="murojaat.gateway.outbox"):
        call_command("deliver_outbox", loop=30, limit=50)
    assert worker_lines(caplog) == [
        "outbox worker started: a round every 30 s, up to 50 messages each",
        "due 2, delivered 1, failed attempts 1, taken by another worker 0",
        "due 0, delivered 0, failed attempts 0, taken by another worker 1",
        "outbox worker stopped",
    ]


def test_one_run_answers_with_its_counts_even_when_nothing_was_due(rounds, capsys) -> None:
    fake = rounds(IDLE)
    call_command("deliver_outbox")
    assert capsys.readouterr().out == (
        "due 0, delivered 0, failed attempts 0, taken by another worker 0\n"
    )
    assert fake.sleeps == []
