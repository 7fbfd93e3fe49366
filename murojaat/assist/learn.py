"""Routing suggestions and duplicate similarity as plain functions over plain records.

A record is what the working group saw when it routed: the text, the topics, the author's
region (SOATO code) and the kind. The same functions train on the database's history
(`services.retrain_routing`) and on the hand-written labelled sample (`bench`, tests), so the
figures the bench prints are those of the code that runs.

Routing: TF-IDF over character n-grams of the folded text (one vocabulary for Uzbek Latin,
Uzbek Cyrillic and Russian; n-grams inside words survive Uzbek suffixes and Russian endings)
plus TF-IDF over ``topic:``, ``region:`` and ``kind:`` tokens, and a multinomial logistic
regression: its probabilities are the confidences shown. The nearest training letters (cosine
on the same vectors) are kept to say "similar past appeals went here".

Rules work before any history (`rule_candidates`): a ministry-level topic goes to its main
directorate (R-P2-4); a local topic goes to the author's regional directorate (R-P2-6) and
then to the topic's directorate or centre.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from .text import fold

# Topic -> the directorate or centre that studies it at ministry level (org codes of the tree).
TOPIC_RECEIVERS: dict[str, str] = {
    "quality-of-care": "md-treatment",
    "medicines": "md-pharma",
    "staff-conduct": "md-treatment",
    "paid-services": "md-economics",
    "treatment-abroad": "md-treatment",
    "transplantation": "centre-nephrology",
    "ivf": "md-mother-child",
    "regulation-proposal": "dir-legal",
    "employment": "dir-personnel",
    "sanitary": "md-sanepid",
    "maternal-child": "md-mother-child",
    "disability": "md-treatment",
    "education": "md-science",
}
# Topics the ministry decides itself (R-P2-4): the region does not change the receiver.
MINISTRY_LEVEL = {"treatment-abroad", "transplantation", "ivf", "regulation-proposal"}


@dataclass(frozen=True)
class Record:
    text: str
    topics: tuple[str, ...] = ()
    region: str = ""
    kind: str = ""
    ref: Any = None  # an appeal's pk (history) or a sample id


@dataclass
class Candidate:
    receiver: str
    confidence: float
    reasons: list[dict[str, Any]] = field(default_factory=list)


def rule_candidates(record: Record) -> list[Candidate]:
    """The receivers the rules give, best first, each with its reason (works with no history)."""
    out: list[Candidate] = []

    def add(code: str, confidence: float, reason: dict[str, Any]) -> None:
        for c in out:
            if c.receiver == code:
                c.reasons.append(reason)
                return
        out.append(Candidate(code, confidence, [reason]))

    ministry = [t for t in record.topics if t in MINISTRY_LEVEL]
    for topic in ministry:
        add(TOPIC_RECEIVERS[topic], 0.6, {"kind": "topic", "topic": topic})
    if record.region and not ministry:
        add(f"rd-{record.region}", 0.5, {"kind": "region", "region": record.region})
    for topic in record.topics:
        if topic in TOPIC_RECEIVERS and topic not in MINISTRY_LEVEL:
            add(TOPIC_RECEIVERS[topic], 0.3, {"kind": "topic", "topic": topic})
    return out


def _record_text(record: Record) -> str:
    return fold(record.text)


def _meta(record: Record) -> str:
    tokens = [f"topic_{t}" for t in record.topics]
    if record.region:
        tokens.append(f"region_{record.region}")
    if record.kind:
        tokens.append(f"kind_{record.kind}")
    return " ".join(tokens)


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "text",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=1,
                    sublinear_tf=True,
                    preprocessor=_record_text,
                ),
            ),
            (
                "meta",
                TfidfVectorizer(
                    analyzer="word",
                    token_pattern=r"\S+",  # noqa: S106 (a regular expression, not a password)
                    preprocessor=_meta,
                    lowercase=False,
                ),
            ),
        ]
    )


@dataclass
class RoutingModel:
    """A trained model: features, classifier, and the training letters for "similar past"."""

    features: FeatureUnion
    classifier: LogisticRegression | None
    single_class: str | None
    matrix: Any
    labels: list[str]
    refs: list[Any]

    def suggest(self, record: Record, k: int = 3, neighbours: int = 5) -> list[Candidate]:
        """The `k` most likely receivers with the model's probability and the nearest letters."""
        x = self.features.transform([record])
        if self.classifier is None:
            ranked = [(self.single_class or "", 1.0)]
        else:
            proba = self.classifier.predict_proba(x)[0]
            order = np.argsort(-proba)[:k]
            ranked = [(str(self.classifier.classes_[i]), float(proba[i])) for i in order]
        sims = (self.matrix @ x.T).toarray().ravel()
        nearest = np.argsort(-sims)[:neighbours]
        out = []
        for receiver, p in ranked:
            similar = [
                {"ref": self.refs[i], "similarity": round(float(sims[i]), 3)}
                for i in nearest
                if self.labels[i] == receiver and sims[i] > 0
            ]
            reasons: list[dict[str, Any]] = [{"kind": "model", "probability": round(p, 3)}]
            if similar:
                reasons.append({"kind": "similar", "appeals": similar, "of": len(nearest)})
            out.append(Candidate(receiver, round(p, 3), reasons))
        return out

    def dumps(self) -> bytes:
        import joblib

        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @staticmethod
    def loads(content: bytes) -> RoutingModel:
        import joblib

        model = joblib.load(io.BytesIO(content))
        if not isinstance(model, RoutingModel):
            raise TypeError("not a routing model")
        return model


NEIGHBOUR_MEMORY = 10_000


def train(records: Sequence[Record], labels: Sequence[str]) -> RoutingModel:
    if not records:
        raise ValueError("no history to learn from")
    features = _features()
    matrix = features.fit_transform(list(records))
    classes = set(labels)
    classifier = None
    single = None
    if len(classes) == 1:
        single = next(iter(classes))
    else:
        classifier = LogisticRegression(max_iter=2000, C=10.0)
        classifier.fit(matrix, list(labels))
    # "Similar past appeals" come from the latest decisions only: the model file stays small
    # at national volumes, and recent routings are the ones the group still recognises.
    keep = slice(-NEIGHBOUR_MEMORY, None)
    return RoutingModel(
        features=features,
        classifier=classifier,
        single_class=single,
        matrix=matrix[keep],
        labels=list(labels)[keep],
        refs=[r.ref for r in records][keep],
    )


def blend(model_candidates: list[Candidate], rules: list[Candidate], k: int = 3) -> list[Candidate]:
    """Model first; the rules' receivers fill the list and lend their reasons to the model's."""
    out = [Candidate(c.receiver, c.confidence, list(c.reasons)) for c in model_candidates]
    for rule in rules:
        match = next((c for c in out if c.receiver == rule.receiver), None)
        if match is not None:
            match.reasons.extend(rule.reasons)
        elif len(out) < k:
            out.append(Candidate(rule.receiver, 0.0, list(rule.reasons)))
    return out[:k]


@dataclass
class Accuracy:
    n: int
    top1: float
    top3: float


def accuracy(ranked: Iterable[list[str]], truth: Iterable[str]) -> Accuracy:
    n = hit1 = hit3 = 0
    for suggestion, label in zip(ranked, truth, strict=True):
        n += 1
        hit1 += int(bool(suggestion) and suggestion[0] == label)
        hit3 += int(label in suggestion[:3])
    return Accuracy(n, hit1 / n if n else 0.0, hit3 / n if n else 0.0)


@dataclass
class RoutingFigures:
    model: Accuracy
    most_frequent: Accuracy
    topic_rule: Accuracy


def evaluate_routing(
    train_records: Sequence[Record],
    train_labels: Sequence[str],
    test_records: Sequence[Record],
    test_labels: Sequence[str],
) -> RoutingFigures:
    """Held-out top-1/top-3 of the model against the two baselines the issue names."""
    model = train(train_records, train_labels)
    predicted = [[c.receiver for c in model.suggest(r)] for r in test_records]
    frequent = [code for code, _n in Counter(train_labels).most_common(3)]
    rules = [[c.receiver for c in rule_candidates(r)] for r in test_records]
    return RoutingFigures(
        model=accuracy(predicted, test_labels),
        most_frequent=accuracy([frequent] * len(test_records), test_labels),
        topic_rule=accuracy(rules, test_labels),
    )


# --- duplicates ----------------------------------------------------------------------------------

# Cosine similarity of folded character n-grams above which two letters are the same letter;
# the same author is held to a lower bar (they rephrase their own letter more).
DUPLICATE_THRESHOLD = 0.85
SAME_AUTHOR_THRESHOLD = 0.7

# Hashed n-grams need no vocabulary: a letter's vector never changes, so it is computed once
# and cached (`services.find_duplicates`), and a new letter costs one vector and dot products.
_HASHER = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(3, 5),
    alternate_sign=False,
    n_features=2**20,
    preprocessor=fold,
)


def vectorize(texts: Sequence[str]) -> Any:
    """L2-normalised hashed character 3-5-grams of the folded texts (one row per text)."""
    return _HASHER.transform(list(texts))


def similarity_matrix(texts: Sequence[str]) -> Any:
    """Pairwise cosine similarity of the folded texts."""
    matrix = vectorize(texts)
    return (matrix @ matrix.T).toarray()


def is_duplicate(similarity: float, same_author: bool, same_region: bool = True) -> bool:
    """The same letter: the same author above the lower bar; different authors above the high
    bar and about the same place (a region known for both must be the same one)."""
    if same_author:
        return similarity >= SAME_AUTHOR_THRESHOLD
    return same_region and similarity >= DUPLICATE_THRESHOLD


@dataclass
class PR:
    precision: float
    recall: float
    predicted: int
    actual: int


def pair_pr(predicted: set[tuple[int, int]], actual: set[tuple[int, int]]) -> PR:
    tp = len(predicted & actual)
    return PR(
        precision=tp / len(predicted) if predicted else 0.0,
        recall=tp / len(actual) if actual else 0.0,
        predicted=len(predicted),
        actual=len(actual),
    )
