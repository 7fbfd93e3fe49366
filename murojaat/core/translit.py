"""Uzbek Latin <-> Cyrillic transliteration, and a script-insensitive search key.

Staff and applicants write Uzbek in both scripts: the 1995 Latin alphabet (oʻ, gʻ, sh, ch,
ng, ʼ) is official, Cyrillic is still everywhere, and the apostrophes of oʻ/gʻ/ʼ are typed as
any of ' ‘ ’ ` ʻ ʼ (glossary). The rules follow the official correspondence of the alphabets:

Latin -> Cyrillic
- oʻ -> ў, gʻ -> ғ (with any apostrophe variant), sh -> ш, ch -> ч, ng -> нг (two letters);
- yo -> ё, yu -> ю, ya -> я; but yoʻ -> йў (yoʻl, yoʻq);
- ye -> е at the start of a word and after a vowel or ʼ, йе after a consonant;
  e -> э at the start of a word and after a vowel or ʼ, е after a consonant;
- ʼ between two letters (tutuq belgisi) -> ъ; sʼh (the apostrophe separating s from h, as in
  Isʼhoq) -> сҳ; an apostrophe elsewhere (a quote) stays as typed;
- x -> х, h -> ҳ, q -> қ, j -> ж, y -> й, c (not in the alphabet; loan names) -> ц;
- ts -> тс: the Latin alphabet has no ц, and telling the loanwords whose ts was ц
  (tsement) from Uzbek words with t + s (ketsa) needs a dictionary, so we keep it simple.

Cyrillic -> Latin
- ў -> oʻ, ғ -> gʻ (with ʻ U+02BB), ъ -> ʼ (U+02BC), ь dropped, ш/щ -> sh, ч -> ch;
- е -> ye at the start of a word and after a vowel, ъ or ь, e elsewhere; э -> e;
- ё/ю/я -> yo/yu/ya; ц -> ts after a vowel, s elsewhere (the official rule: sement, konsert,
  politsiya); сҳ -> sʼh so that it is not read as ш; ы -> i.

Case is preserved: Sh/SH -> Ш, and Ш -> Sh in a word, SH in an all-capitals word.
Anything else (digits, punctuation, other scripts) passes through unchanged.
"""

from __future__ import annotations

import unicodedata

# The apostrophes people type for oʻ, gʻ and ʼ (glossary): ASCII ', ‘ ’, `, ʻ (U+02BB), ʼ (U+02BC).
APOSTROPHES = frozenset("'\u2018\u2019`\u02bb\u02bc")
OKINA = "\u02bb"  # ʻ, the sign of oʻ and gʻ
TUTUQ = "\u02bc"  # ʼ, tutuq belgisi

_LATIN_VOWELS = frozenset("aeiou")
_LATIN_SINGLE = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ",
    "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "қ", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "x": "х", "y": "й",
    "z": "з",
}  # fmt: skip
_LATIN_Y = {"o": "ё", "u": "ю", "a": "я"}

_CYRILLIC_VOWELS = frozenset("аеёиоуэюяўы")
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": TUTUQ, "ь": "", "ы": "i", "э": "e", "ю": "yu", "я": "ya",
    "ў": "o" + OKINA, "қ": "q", "ғ": "g" + OKINA, "ҳ": "h",
}  # fmt: skip


def _cased(cyrillic: str, source: str) -> str:
    return cyrillic.upper() if source[:1].isupper() else cyrillic


def latin_to_cyrillic(text: str) -> str:
    """Uzbek Latin (1995 alphabet, any apostrophe variant) to Uzbek Cyrillic."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    # What the previous output letter was, for е/э and ye: "start" (not a letter),
    # "vowel", "consonant" or "sign" (ъ).
    previous = "start"
    i, n = 0, len(text)

    def at(k: int) -> str:
        return text[k] if k < n else ""

    while i < n:
        char = text[i]
        low = char.lower()
        nxt = at(i + 1).lower()
        if low in ("o", "g") and at(i + 1) in APOSTROPHES:
            out.append(_cased("ў" if low == "o" else "ғ", char))
            previous = "vowel" if low == "o" else "consonant"
            i += 2
            continue
        if low == "y" and nxt in _LATIN_Y and not (nxt == "o" and at(i + 2) in APOSTROPHES):
            out.append(_cased(_LATIN_Y[nxt], char))
            previous = "vowel"
            i += 2
            continue
        if low == "y" and nxt == "e" and previous != "consonant":
            out.append(_cased("е", char))
            previous = "vowel"
            i += 2
            continue
        if low == "e":
            out.append(_cased("е" if previous == "consonant" else "э", char))
            previous = "vowel"
            i += 1
            continue
        if low in ("s", "c") and nxt == "h":
            out.append(_cased("ш" if low == "s" else "ч", char))
            previous = "consonant"
            i += 2
            continue
        if low == "s" and at(i + 1) in APOSTROPHES and at(i + 2).lower() == "h":
            out.append(_cased("с", char))  # the apostrophe only kept s and h apart
            previous = "consonant"
            i += 2
            continue
        if char in APOSTROPHES:
            between_letters = i > 0 and text[i - 1].isalpha() and at(i + 1).isalpha()
            out.append("ъ" if between_letters else char)
            previous = "sign" if between_letters else "start"
            i += 1
            continue
        if low in _LATIN_SINGLE:
            out.append(_cased(_LATIN_SINGLE[low], char))
            previous = "vowel" if low in _LATIN_VOWELS else "consonant"
        else:
            out.append(char)
            previous = "consonant" if char.isalpha() else "start"
        i += 1
    return "".join(out)


def _latin_cased(latin: str, text: str, i: int) -> str:
    """`latin` in the case of the Cyrillic letter text[i]: Sh in a word, SH in capitals."""
    char = text[i]
    if not char.isupper() or not latin:
        return latin
    if len(latin) == 1:
        return latin.upper()
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prv = text[i - 1] if i > 0 else ""
    all_caps = nxt.isupper() or (not nxt.isalpha() and prv.isupper())
    return latin.upper() if all_caps else latin[0].upper() + latin[1:]


def cyrillic_to_latin(text: str) -> str:
    """Uzbek Cyrillic to Uzbek Latin (1995 alphabet, with ʻ and ʼ). Russian text passes too."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    n = len(text)
    for i, char in enumerate(text):
        low = char.lower()
        prv = text[i - 1].lower() if i > 0 else ""
        nxt = text[i + 1].lower() if i + 1 < n else ""
        if low == "е":
            after_sound = prv.isalpha() and prv not in _CYRILLIC_VOWELS and prv not in "ъь"
            latin = "e" if after_sound else "ye"
        elif low == "ц":
            latin = "ts" if prv in _CYRILLIC_VOWELS else "s"
        elif low == "с" and nxt == "ҳ":
            latin = "s" + TUTUQ
        elif low in _CYRILLIC:
            latin = _CYRILLIC[low]
        else:
            out.append(char)
            continue
        out.append(_latin_cased(latin, text, i))
    return "".join(out)


def normalize_for_search(text: str) -> str:
    """A search key that ignores script, case, apostrophes and spacing.

    Cyrillic becomes Latin, everything is case-folded, the apostrophes of oʻ/gʻ/ʼ (in any
    variant) are dropped — people often leave them out when searching ("ozbek") — and runs of
    whitespace become one space. So "Ўқув семинари", "oʻquv  seminari" and "O'QUV SEMINARI"
    share one key. Russian Cyrillic is transliterated by the same table; harmless for search.
    """
    latin = cyrillic_to_latin(unicodedata.normalize("NFC", text)).casefold()
    stripped = "".join(char for char in latin if char not in APOSTROPHES)
    return " ".join(stripped.split())
