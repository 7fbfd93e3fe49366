"""The measured figures of the working group's assistants, on the held-out part of the sample.

`python manage.py assist_bench` (and `make bench`) print them; the tests pin floors on them.
The sample is hand-written (see `sample.py`): these figures check the code, they are not a
claim about real appeals, on which the system is judged separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from . import learn, sample, triage


@dataclass
class Figures:
    routing: learn.RoutingFigures
    urgent: learn.PR
    urgent_any_word: learn.PR
    duplicates: learn.PR
    duplicates_same_author: learn.PR
    train_size: int
    held_out_size: int


def _record(r: dict[str, Any]) -> learn.Record:
    return learn.Record(
        text=r["text"], topics=(r["topic"],), region=r["region"], kind=r["kind"], ref=r["id"]
    )


def _flag_pr(flags: list[bool], truth: list[bool]) -> learn.PR:
    predicted = {i for i, f in enumerate(flags) if f}
    actual = {i for i, t in enumerate(truth) if t}
    tp = len(predicted & actual)
    return learn.PR(
        precision=tp / len(predicted) if predicted else 0.0,
        recall=tp / len(actual) if actual else 0.0,
        predicted=len(predicted),
        actual=len(actual),
    )


ALARMING = (
    triage.EMERGENCY,
    triage.VULNERABLE,
    triage.CRITICAL_DRUG,
    triage.OUTBREAK,
    triage.LIFE_THREAT,
    triage.REFUSAL,
)


def _any_alarming_word(text: str) -> bool:
    """The baseline: flag on any single alarming word, without the rules' combinations."""
    folded = " ".join(triage.sentences(text))
    return any(p.search(folded) for p in ALARMING)


def run(records: list[dict[str, Any]] | None = None) -> Figures:
    records = records if records is not None else sample.load()
    train, held = sample.split(records)
    routing = learn.evaluate_routing(
        [_record(r) for r in train],
        [r["receiver"] for r in train],
        [_record(r) for r in held],
        [r["receiver"] for r in held],
    )
    truth = [bool(r["urgent"]) for r in held]
    urgent = _flag_pr([triage.triage(r["text"]).urgent for r in held], truth)
    naive = _flag_pr([_any_alarming_word(r["text"]) for r in held], truth)
    sims = learn.similarity_matrix([r["text"] for r in held])
    predicted, same_author, actual = set(), set(), set()
    for i, j in combinations(range(len(held)), 2):
        a, b = held[i], held[j]
        same = a["author"] == b["author"]
        if learn.is_duplicate(float(sims[i, j]), same, a["region"] == b["region"]):
            predicted.add((i, j))
        if same and a["topic"] == b["topic"]:
            same_author.add((i, j))
        if a["group"] and a["group"] == b["group"]:
            actual.add((i, j))
    return Figures(
        routing=routing,
        urgent=urgent,
        urgent_any_word=naive,
        duplicates=learn.pair_pr(predicted, actual),
        duplicates_same_author=learn.pair_pr(same_author, actual),
        train_size=len(train),
        held_out_size=len(held),
    )


def report(figures: Figures) -> str:
    r = figures.routing
    lines = [
        "Working-group assistants on the hand-written labelled sample "
        f"(train {figures.train_size}, held out {figures.held_out_size})",
        "Routing (first receiver)             top-1    top-3",
        f"  model (char n-grams + topic/region) {r.model.top1:6.1%}   {r.model.top3:6.1%}",
        f"  baseline: most frequent receiver   {r.most_frequent.top1:6.1%}   "
        f"{r.most_frequent.top3:6.1%}",
        f"  baseline: topic/region rule        {r.topic_rule.top1:6.1%}   {r.topic_rule.top3:6.1%}",
        "Urgent flag                          precision  recall",
        f"  triage rules                       {figures.urgent.precision:6.1%}    "
        f"{figures.urgent.recall:6.1%}   ({figures.urgent.predicted} flagged, "
        f"{figures.urgent.actual} urgent)",
        f"  baseline: any alarming word        {figures.urgent_any_word.precision:6.1%}    "
        f"{figures.urgent_any_word.recall:6.1%}",
        "Duplicate pairs                      precision  recall",
        f"  similarity (char n-grams)          {figures.duplicates.precision:6.1%}    "
        f"{figures.duplicates.recall:6.1%}   ({figures.duplicates.predicted} found, "
        f"{figures.duplicates.actual} true pairs)",
        f"  baseline: same author, same topic  "
        f"{figures.duplicates_same_author.precision:6.1%}    "
        f"{figures.duplicates_same_author.recall:6.1%}",
    ]
    return "\n".join(lines)
