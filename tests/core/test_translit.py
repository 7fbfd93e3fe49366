"""Uzbek transliteration and the search key, with the glossary's own words.

The glossary asks for the 1995 Latin alphabet (oʻ, gʻ, ʼ) and accepts ' ‘ ’ ` as input; search
must find Latin text with a Cyrillic query and the reverse.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from murojaat.core.translit import (
    cyrillic_to_latin,
    latin_to_cyrillic,
    normalize_for_search,
)

GLOSSARY = [
    ("murojaat", "мурожаат"),
    ("murojaat muallifi", "мурожаат муаллифи"),
    ("ishchi guruh", "ишчи гуруҳ"),
    ("oʻquv seminari", "ўқув семинари"),
    ("maʼlumotnoma", "маълумотнома"),
    ("Qoraqalpogʻiston Respublikasi", "Қорақалпоғистон Республикаси"),
    ("Toshkent shahri", "Тошкент шаҳри"),
    ("hududiy boshqarma", "ҳудудий бошқарма"),
    ("Xalq qabulxonasi", "Халқ қабулхонаси"),
    ("ijrodan yechilgan", "ижродан ечилган"),
    ("muddati oʻtgan", "муддати ўтган"),
    ("masʼul xodim", "масъул ходим"),
    ("vazir oʻrinbosari", "вазир ўринбосари"),
    ("sayyor qabul", "сайёр қабул"),
    ("tibbiyot birlashmasi", "тиббиёт бирлашмаси"),
    ("intizomiy jazo chorasi", "интизомий жазо чораси"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), GLOSSARY)
def test_glossary_terms_go_from_latin_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), GLOSSARY)
def test_glossary_terms_go_from_cyrillic_to_latin(latin: str, cyrillic: str) -> None:
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize("apostrophe", ["'", "‘", "’", "`", "ʻ", "ʼ"])
def test_every_apostrophe_variant_is_accepted_as_input(apostrophe: str) -> None:
    assert latin_to_cyrillic(f"o{apostrophe}quv") == "ўқув"
    assert latin_to_cyrillic(f"Qoraqalpog{apostrophe}iston") == "Қорақалпоғистон"
    assert latin_to_cyrillic(f"ma{apostrophe}lumotnoma") == "маълумотнома"


def test_the_case_of_digraphs_is_kept() -> None:
    assert latin_to_cyrillic("Shahar SHAHAR shahar") == "Шаҳар ШАҲАР шаҳар"
    assert latin_to_cyrillic("Chora Oʻzbekiston Gʻalaba") == "Чора Ўзбекистон Ғалаба"
    assert cyrillic_to_latin("Шаҳар ШАҲАР Ўзбекистон ЎЗБЕКИСТОН") == (
        "Shahar SHAHAR Oʻzbekiston OʻZBEKISTON"
    )


def test_e_and_ye_depend_on_the_position_in_the_word() -> None:
    assert latin_to_cyrillic("eshik") == "эшик"  # e at the start: э
    assert latin_to_cyrillic("poeziya") == "поэзия"  # after a vowel: э
    assert latin_to_cyrillic("yer") == "ер"  # ye at the start: е
    assert latin_to_cyrillic("obʼyekt") == "объект"  # after ʼ: е
    assert latin_to_cyrillic("kelmoq") == "келмоқ"  # after a consonant: е
    assert cyrillic_to_latin("ер эшик келмоқ объект") == "yer eshik kelmoq obʼyekt"


def test_yo_before_an_apostrophe_is_y_and_o_with_the_sign() -> None:
    assert latin_to_cyrillic("yoʻl yoʻq yomon") == "йўл йўқ ёмон"
    assert cyrillic_to_latin("йўл йўқ ёмон") == "yoʻl yoʻq yomon"


def test_an_apostrophe_separating_s_and_h_is_not_sh() -> None:
    assert latin_to_cyrillic("Isʼhoq") == "Исҳоқ"
    assert cyrillic_to_latin("Исҳоқ") == "Isʼhoq"


def test_ts_is_kept_as_two_letters_and_ts_from_cyrillic_follows_the_official_rule() -> None:
    assert latin_to_cyrillic("ketsa") == "кетса"
    assert cyrillic_to_latin("цемент концерт полиция") == "sement konsert politsiya"


def test_soft_sign_is_dropped_and_quotes_stay_quotes() -> None:
    assert cyrillic_to_latin("пьеса") == "pyesa"
    assert latin_to_cyrillic("'Toshkent'") == "'Тошкент'"
    assert latin_to_cyrillic("No 27, 2017-yil") == "Но 27, 2017-йил"


def test_the_search_key_ignores_script_case_apostrophes_and_spacing() -> None:
    key = normalize_for_search("oʻquv seminari")
    assert normalize_for_search("Ўқув  семинари") == key
    assert normalize_for_search("O'QUV SEMINARI") == key
    assert normalize_for_search(" oquv\tseminari ") == key
    assert normalize_for_search("Қорақалпоғистон") == normalize_for_search("Qoraqalpog‘iston")


def test_russian_text_passes_through_the_search_key() -> None:
    assert normalize_for_search("Обращение") == "obrasheniye"  # a key, not a spelling
    assert normalize_for_search("Елена") == normalize_for_search("Yelena")


def test_decomposed_cyrillic_letters_are_understood() -> None:
    assert cyrillic_to_latin("и\u0306ўл") == cyrillic_to_latin("йўл") == "yoʻl"


# --- properties ------------------------------------------------------------------------------

# The 1995 alphabet's letters and signs; joined at random they also make sh, ch, ng, ye, yo...
LETTERS = [*"abdefghijklmnopqrstuvxyz", "oʻ", "gʻ", "sh", "ch", "ng", "ʼ"]
apostrophes = st.sampled_from(["'", "‘", "’", "`", "ʻ", "ʼ"])


@st.composite
def uzbek_latin_words(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(LETTERS), min_size=1, max_size=12))
    word = []
    for token in tokens:
        if "ʻ" in token or "ʼ" in token:
            token = token.replace("ʻ", draw(apostrophes)).replace("ʼ", draw(apostrophes))
        word.append(token.upper() if draw(st.booleans()) else token)
    return "".join(word)


uzbek_latin_texts = st.lists(uzbek_latin_words(), min_size=1, max_size=4).map(" ".join)

# The composite strategy draws many small choices per word; on a loaded machine generating them
# trips hypothesis's "too slow" health check and its per-example deadline, which say nothing
# about transliteration. The properties are what is tested: keep them, drop the timing checks.
SLOW_MACHINE_OK = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


@settings(max_examples=500, **SLOW_MACHINE_OK)
@given(uzbek_latin_words())
def test_a_word_in_cyrillic_has_the_search_key_of_its_latin_spelling(word: str) -> None:
    assert normalize_for_search(latin_to_cyrillic(word)) == normalize_for_search(word)


@settings(max_examples=300, **SLOW_MACHINE_OK)
@given(uzbek_latin_texts)
def test_a_text_in_cyrillic_has_the_search_key_of_its_latin_spelling(text: str) -> None:
    assert normalize_for_search(latin_to_cyrillic(text)) == normalize_for_search(text)


@settings(max_examples=300, **SLOW_MACHINE_OK)
@given(st.text(max_size=40))
def test_the_search_key_is_idempotent_and_never_fails(text: str) -> None:
    key = normalize_for_search(text)
    assert normalize_for_search(key) == key
    latin_to_cyrillic(text)  # any input is accepted
    cyrillic_to_latin(text)
