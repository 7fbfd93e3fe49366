"""One folding of appeal text for every assistant: Uzbek Latin, Uzbek Cyrillic and Russian alike.

The search key of `core.translit.normalize_for_search` already turns Cyrillic into Latin, folds
case and drops the apostrophes of oʻ/gʻ/ʼ; the assistants also drop punctuation (so a phrase
matches across "yoʻq." and "yoq,") and keep sentence breaks, because a triage rule must find
the risk and the person at risk in the same sentence, not anywhere in a long letter.
"""

from __future__ import annotations

import re

from murojaat.core.translit import normalize_for_search

_SENTENCE = re.compile(r"[.!?;\n]+")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Script-, case- and punctuation-insensitive text: one space between words."""
    return " ".join(_NOT_WORD.sub(" ", normalize_for_search(text)).split())


def sentences(text: str) -> list[str]:
    """The folded sentences of `text` (empty ones dropped)."""
    parts = _SENTENCE.split(text.replace("\r", "\n"))
    return [f for f in (fold(p) for p in parts) if f]
