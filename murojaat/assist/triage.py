"""Urgent triage: does an appeal describe an immediate risk to life or health? (pure, no database)

The working group routes every appeal the same day (R-P2-2); an appeal about an ambulance that
never came, a child or a pregnant woman left without urgent care, insulin or cancer drugs run
out, or an outbreak must not wait its turn in the queue. Alarming words alone do not flag
("terrible doctor", "the polyclinic did not receive me, the queue is three days"): a rule fires
only on a combination, inside one sentence, of a risk and what makes it immediate:

- ``emergency_refused``: emergency care (ambulance, 103, resuscitation, emergency department)
  together with a refusal or absence (did not come, refused, did not admit);
- ``vulnerable_urgent``: a child, a baby or a pregnant woman together with an urgent medical
  need (an urgent operation, urgent treatment) or a grave state together with a refusal;
- ``drugs_out``: insulin or oncology drugs (chemotherapy) together with "ran out / not given";
- ``outbreak``: an epidemic or a mass poisoning or infection (many people, children fell ill);
- ``life_threat``: an explicit threat to life ("hayoti xavf ostida", "угроза жизни").

A refusal negated in Russian ("не отказали") is not a refusal; a sentence that thanks the
service ("rahmat", "спасибо", "благодар") does not fire the emergency rule. The patterns run on
`text.fold` output, so Uzbek Latin, Uzbek Cyrillic and Russian (transliterated by the same
table) are one case.

Each rule has a prior precision; the group's confirmations and clearings of earlier flags
replace it gradually (`learned_precision`), and the appeal is flagged when the combined
probability that at least one fired rule is right reaches `FLAG_THRESHOLD`. Everything that
fired is returned with the words that triggered it, so the flag says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .text import sentences

FLAG_THRESHOLD = 0.5
# How many decisions weigh as much as the prior (Laplace-style smoothing of the precision).
PRIOR_WEIGHT = 10


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.UNICODE)


EMERGENCY = _any(
    r"tez (?:tibbiy )?yordam\w*",
    r"shoshilinch (?:tibbiy )?yordam\w*",
    r"skor(?:aya|oy|uyu)\b",
    r"103\b",
    r"reanimatsi\w*",
    r"ekstrenn\w*",
    r"neotlojn\w*",
    r"qabul bolim\w*",
    r"priyemn\w* (?:otdelen|pokoy)\w*",
)
REFUSAL = _any(
    r"kelmad\w*",
    r"kelmay\w*",
    r"kelishmad\w*",
    r"rad et(?:di|ishdi|gan|ildi|ishgan)\w*",
    r"bosh tort\w*",
    r"qabul qilmad\w*",
    r"qabul qilishmad\w*",
    r"qabul qilmay\w*",
    r"yotqizmad\w*",
    r"yotqizishmad\w*",
    r"olib ketmad\w*",
    r"javob bermad\w*",
    r"yordam bermad\w*",
    r"yordam korsatmad\w*",
    r"yordam korsatishmad\w*",
    r"otkaz\w*",
    r"ne priyexal\w*",
    r"ne priyezja\w*",
    r"ne pribil\w*",
    r"ne okazal\w*",
    r"ne prinyal\w*",
    r"ne prinimayut",
    r"ne gospitaliz\w*",
    r"ne otvech\w*",
    r"ne vzyal\w*",
)
# Absent or late help counts as a refusal only next to emergency care ("tez yordam yoʻq",
# "скорой нет", "скорая приехала через 3 часа").
ABSENT_OR_LATE = _any(
    r"yoq\b",
    r"net\b",
    r"mavjud emas",
    r"chiqmad\w*",
    r"kech keld\w*",
    r"kech qolib keld\w*",
    r"(?:\d+|ikki|uch|tort|besh) soat(?:dan)? (?:keyin|otib) keld\w*",
    r"ne viyexal\w*",
    r"ne dojdal\w*",
    r"ne dozvon\w*",
    r"cherez (?:\d+|dva|tri|chetire|pyat) chas\w*",
    r"pozdno priyexal\w*",
    r"opozdal\w*",
)
NEGATED_REFUSAL = _any(r"ne otkaz\w*", r"rad etilma\w*", r"rad etma\w*")
THANKS = _any(r"rahmat\w*", r"tashakkur\w*", r"minnatdor\w*", r"spasib\w*", r"blagodar\w*")
VULNERABLE = _any(
    r"bola(?:m|mga|mni|mning|ga|ni|ning|si|siga|sini|mizga|miz|mizni)?\b",
    r"ogl(?:im|imga|imni|imiz)\b",
    r"qiz(?:im|imga|imni|imiz)\b",
    r"chaqaloq\w*",
    r"godak\w*",
    r"homilador\w*",
    r"tugruq\w*",
    r"kelin(?:im|imiz)\b",
    r"rebyon\w*",
    r"rebyonk\w*",
    r"rebenk\w*",
    r"rebenok\w*",
    r"doch\w*",
    r"sin(?:a|u|om)?\b",
    r"mladen\w*",
    r"malish\w*",
    r"kichkintoy\w*",
    r"novorojd\w*",
    r"beremenn\w*",
    r"rojenits\w*",
)
URGENT_NEED = re.compile(
    r"\b(?:shoshilinch|zudlik bilan|darhol|zudlik|srochn\w*|nemedlenn\w*|ekstrenn\w*|tezda)"
    r"(?: \w+){0,2} (?:operatsi\w*|jarroh\w*|davola\w*|yordam\w*|yotqiz\w*|gospitaliz\w*|"
    r"lechen\w*|pomosh\w*|reanimatsi\w*|kesar\w*|kyesar\w*|qon quy\w*|perelivan\w*)",
    re.UNICODE,
)
GRAVE_STATE = _any(
    r"ogir ahvol\w*",
    r"ahvoli ogir\w*",
    r"hushsiz\w*",
    r"hushidan ket\w*",
    r"nafas ololma\w*",
    r"qon ket\w*",
    r"harorati \d\d",
    r"tyajyol\w* sostoyan\w*",
    r"tyajel\w* sostoyan\w*",
    r"bez soznaniya",
    r"ne mojet dishat\w*",
    r"krovotechen\w*",
    r"temperatur\w* \d\d",
    r"visok\w* temperatur\w*",
    r"yuqori harorat\w*",
    r"behush\w*",
    r"tutqanoq\w*",
    r"sudorog\w*",
    r"ne dishit",
)
CRITICAL_DRUG = _any(
    r"insulin\w*",
    r"onkolog\w* (?:dori|preparat|lekarstv)\w*",
    r"saraton\w* dori\w*",
    r"kimyoterap\w*",
    r"ximioterap\w*",
    r"himioterap\w*",
    r"protivoopuxol\w*",
    r"onkopreparat\w*",
    r"sitostatik\w*",
    r"tsitostatik\w*",
)
RAN_OUT = _any(
    r"tugad\w*",
    r"tugab\w*",
    r"tugagan\w*",
    r"qolmad\w*",
    r"yoq\b",
    r"berilmay\w*",
    r"bermay\w*",
    r"berishmay\w*",
    r"berishmad\w*",
    r"berilmad\w*",
    r"topilmay\w*",
    r"zakonchil\w*",
    r"net\b",
    r"ne vidayut",
    r"ne vidal\w*",
    r"ne dayut",
    r"otsutstv\w*",
    r"perebo\w*",
    r"defitsit\w*",
    r"tanqis\w*",
)
OUTBREAK = re.compile(
    r"\b(?:epidemi(?:ya|yasi|yani|i|yu|yey)\b|vspishk\w*|vabo\b|xoler\w*|kholer\w*)"
    r"|\b(?:ommaviy|kopchilik|koplab|onlab|yuzlab|bir nechta|kop|massov\w*|neskolk\w*|desyatk\w*|"
    r"mnogo)(?: \w+){0,3} (?:zaharlan\w*|otravl\w*|kasallan\w*|zabolel\w*|infektsi\w*|"
    r"yuqumli\w*)"
    r"|\b(?:zaharlan\w*|otravl\w*|kasallan\w*|zabolel\w*|yuqumli \w+)(?: \w+){0,3} "
    r"(?:tarqal\w*|kopay\w*|rasprostran\w*|bolalar|detey|deti)\b"
    r"|\b(?:bogcha\w*|maktab\w*|detsk\w* sad\w*|shkol\w*|lager\w*|oshxona\w*|stolov\w*)"
    r"(?: \w+){0,4} (?:zaharlan\w*|otravl\w*|infektsi\w*|yuqumli\w*)",
    re.UNICODE,
)
LIFE_THREAT = _any(
    r"hayot\w* xavf\w*",
    r"olim xavf\w*",
    r"olim bilan tugash\w*",
    r"ugroz\w* (?:dlya )?jizn\w*",
    r"ugroz\w* jizn\w*",
    r"na grani jizn\w*",
    r"umirayet",
    r"umirayu\w*",
    r"olim holat\w*",
)


@dataclass(frozen=True)
class Rule:
    code: str
    prior: float
    label: Any


RULES: dict[str, Rule] = {
    "emergency_refused": Rule("emergency_refused", 0.85, _("Emergency care refused or absent")),
    "vulnerable_urgent": Rule(
        "vulnerable_urgent", 0.8, _("A child or a pregnant woman without urgent care")
    ),
    "drugs_out": Rule("drugs_out", 0.85, _("Insulin or oncology drugs run out")),
    "outbreak": Rule("outbreak", 0.8, _("An outbreak or a mass poisoning")),
    "life_threat": Rule("life_threat", 0.6, _("An explicit threat to life")),
}


@dataclass(frozen=True)
class Hit:
    rule: str
    words: tuple[str, ...]
    sentence: str


@dataclass
class Triage:
    """What triage found: the rules that fired (with their words) and the combined score."""

    hits: list[Hit] = field(default_factory=list)
    score: float = 0.0
    precision: dict[str, float] = field(default_factory=dict)

    @property
    def urgent(self) -> bool:
        return self.score >= FLAG_THRESHOLD

    @property
    def rules(self) -> list[str]:
        return sorted({h.rule for h in self.hits})

    @property
    def words(self) -> list[str]:
        seen: dict[str, None] = {}
        for hit in self.hits:
            for word in hit.words:
                seen.setdefault(word, None)
        return list(seen)


def _found(pattern: re.Pattern[str], sentence: str) -> list[str]:
    return [m.group(0) for m in pattern.finditer(sentence)]


def _refusals(sentence: str) -> list[str]:
    negated = {m.start() for m in NEGATED_REFUSAL.finditer(sentence)}
    words = []
    for m in REFUSAL.finditer(sentence):
        # "ne otkazali": the match of "otkaz" starts 3 characters after the negation's start.
        if m.start() in negated or (m.start() - 3) in negated:
            continue
        if sentence[max(0, m.start() - 3) : m.start()] == "ne " and m.group(0).startswith("otkaz"):
            continue
        words.append(m.group(0))
    return words


def hits_in(text: str) -> list[Hit]:
    """Every rule that fires in `text`, sentence by sentence, with its triggering words."""
    hits: list[Hit] = []
    for sentence in sentences(text):
        refusals = _refusals(sentence)
        thanks = bool(THANKS.search(sentence))
        emergency = _found(EMERGENCY, sentence)
        absent = _found(ABSENT_OR_LATE, sentence) if emergency else []
        if emergency and (refusals or absent) and not thanks:
            hits.append(Hit("emergency_refused", (*emergency, *refusals, *absent), sentence))
        vulnerable = _found(VULNERABLE, sentence)
        if vulnerable:
            need = _found(URGENT_NEED, sentence)
            grave = _found(GRAVE_STATE, sentence)
            if need and not thanks:
                hits.append(Hit("vulnerable_urgent", (*vulnerable, *need), sentence))
            elif grave and (refusals or emergency):
                hits.append(
                    Hit("vulnerable_urgent", (*vulnerable, *grave, *refusals, *emergency), sentence)
                )
        drugs = _found(CRITICAL_DRUG, sentence)
        if drugs:
            out = _found(RAN_OUT, sentence)
            if out:
                hits.append(Hit("drugs_out", (*drugs, *out), sentence))
        outbreak = _found(OUTBREAK, sentence)
        if outbreak:
            hits.append(Hit("outbreak", tuple(outbreak), sentence))
        threat = _found(LIFE_THREAT, sentence)
        if threat and not thanks:
            hits.append(Hit("life_threat", tuple(threat), sentence))
    return hits


def learned_precision(
    decisions: Mapping[str, tuple[int, int]] | None = None,
) -> dict[str, float]:
    """Each rule's precision: its prior, moved by the group's decisions on earlier flags.

    `decisions` maps a rule to (confirmed, cleared) counts of flags it took part in; ten
    decisions weigh as much as the prior, so one clearing does not silence a rule, and a rule
    the group keeps clearing stops flagging on its own (its precision falls below 0.5).
    """
    decisions = decisions or {}
    out = {}
    for code, rule in RULES.items():
        confirmed, cleared = decisions.get(code, (0, 0))
        out[code] = (confirmed + rule.prior * PRIOR_WEIGHT) / (confirmed + cleared + PRIOR_WEIGHT)
    return out


def triage(text: str, decisions: Mapping[str, tuple[int, int]] | None = None) -> Triage:
    """Score `text`: the probability that at least one of the fired rules is right."""
    hits = hits_in(text)
    precision = learned_precision(decisions)
    miss = 1.0
    for code in {h.rule for h in hits}:
        miss *= 1.0 - precision[code]
    return Triage(hits=hits, score=round(1.0 - miss, 4) if hits else 0.0, precision=precision)


def rule_labels(codes: Iterable[str]) -> list[str]:
    return [RULES[c].label for c in codes if c in RULES]
