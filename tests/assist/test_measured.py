"""Issue 14 §5: the figures on the held-out part of the hand-written sample beat the baselines."""

from __future__ import annotations

import pytest

from murojaat.assist import bench, sample


@pytest.fixture(scope="module")
def figures() -> bench.Figures:
    return bench.run()


def test_the_sample_file_is_what_its_generator_writes() -> None:
    """The committed sample is reproducible from its hand-written templates."""
    assert sample.load() == sample.generate()


def test_the_held_out_part_is_never_trained_on() -> None:
    train, held = sample.split(sample.load())
    assert len(held) > 150 and len(train) > 400
    assert not {r["id"] for r in train} & {r["id"] for r in held}
    assert {r["lang"] for r in held} == {"uz", "uz_Cyrl", "ru"}


def test_routing_beats_the_most_frequent_receiver_and_the_topic_rule(figures) -> None:
    r = figures.routing
    assert r.model.top1 > r.topic_rule.top1 > r.most_frequent.top1
    assert r.model.top3 > r.topic_rule.top3
    assert r.model.top1 >= 0.65 and r.model.top3 >= 0.9


def test_urgent_flags_are_precise_where_alarming_words_are_not(figures) -> None:
    assert figures.urgent.recall >= 0.9 and figures.urgent.precision >= 0.9
    assert figures.urgent_any_word.precision < figures.urgent.precision


def test_duplicates_and_campaign_letters_are_found(figures) -> None:
    assert figures.duplicates.precision >= 0.8 and figures.duplicates.recall >= 0.8
    # the same-author rule finds re-sends only, never a campaign's other authors
    assert figures.duplicates.recall > figures.duplicates_same_author.recall


def test_the_report_prints_every_figure(figures) -> None:
    text = bench.report(figures)
    for needle in ("top-1", "top-3", "most frequent", "topic/region rule", "precision", "recall"):
        assert needle in text
