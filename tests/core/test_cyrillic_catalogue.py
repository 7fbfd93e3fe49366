"""The Uzbek Cyrillic catalogue is generated from the Latin one without breaking code or markup.

Placeholders, HTML, URLs and the like must survive transliteration byte for byte: a
transliterated %(name)s (%(наме)с) raises KeyError at runtime, and a transliterated href
points nowhere.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from murojaat.core.management.commands.make_cyrillic_catalogue import (
    borrowed_messages,
    django_catalogues,
    read_entries,
    to_cyrillic,
    transliterate_catalogue,
)

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("%(number)s-sonli murojaat", "%(number)s-сонли мурожаат"),
        ("%s ta ijrochi, %d kun, %5.2f foiz, 100%%", "%s та ижрочи, %d кун, %5.2f фоиз, 100%%"),
        ("{name} va {0} hamda {}", "{name} ва {0} ҳамда {}"),
        ("{name!r:>10} qoldi", "{name!r:>10} қолди"),
        ("{{ counter }} ta {% url 'orgs:tree' %}", "{{ counter }} та {% url 'orgs:tree' %}"),
        (
            '<a href="https://my.gov.uz/oz/shox" class="link">Shaxsiy qabul</a>',
            '<a href="https://my.gov.uz/oz/shox" class="link">Шахсий қабул</a>',
        ),
        (
            "<strong>Muddat</strong>&nbsp;&#8212;&#x2014;",
            "<strong>Муддат</strong>&nbsp;&#8212;&#x2014;",
        ),
        ("<!-- izoh --> matn", "<!-- izoh --> матн"),
        (
            "Batafsil: https://example.uz/path?q=ish&x=1 va www.minzdrav.uz saytida",
            "Батафсил: https://example.uz/path?q=ish&x=1 ва www.minzdrav.uz сайтида",
        ),
        ("Xat: info@ssv.uz manziliga", "Хат: info@ssv.uz манзилига"),
        ("PDF, DOCX yoki CSV (UTF-8) fayli", "PDF, DOCX ёки CSV (UTF-8) файли"),
        ("qoida (R-P2-5) va (L-10)", "қоида (R-P2-5) ва (L-10)"),
        ('"auto" yoki "count" qiymati', '"auto" ёки "count" қиймати'),
        ("votes[%(i)d]: partiya", "votes[%(i)d]: партия"),
        (
            "`errors` maydoni va X-Client-Key sarlavhasi",
            "`errors` майдони ва X-Client-Key сарлавҳаси",
        ),
        ("Unix vaqti", "Unix вақти"),
        ("Ctrl (yoki Cmd) tugmasini bosib turing", "Ctrl (ёки Cmd) тугмасини босиб туринг"),
        ("D’Ondt usuli", "Д’Ондт усули"),
        ("1 / Σ p² va √(½ Σ (v − s)²); u holda", "1 / Σ p² ва √(½ Σ (v − s)²); у ҳолда"),
        ("“Karimova” soʻrovi “Каримова”ni ham topadi", "“Karimova” сўрови “Каримова”ни ҳам топади"),
        ("“Qabul qilish” amali", "“Қабул қилиш” амали"),
    ],
)
def test_placeholders_markup_and_urls_are_protected(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_the_words_around_placeholders_are_transliterated() -> None:
    text = "Siz bu tashkilot nomidan “%(action)s” amalini bajara olmaysiz."
    assert to_cyrillic(text) == "Сиз бу ташкилот номидан “%(action)s” амалини бажара олмайсиз."


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Nazorat inspeksiyasi", "Назорат инспекцияси"),  # the glossary's spelling
        ("Prinsipial muxolifat", "Принципиал мухолифат"),
        ("Parolni kiriting", "Парольни киритинг"),
        ("Partiyalar moduli", "Партиялар модули"),  # no ь before a vowel
        ("FILTRLAR", "ФИЛЬТРЛАР"),
        # -tsiya after a vowel, -ksiya, -tsion: the rule, not a list of words.
        ("Autentifikatsiya va avtorizatsiya", "Аутентификация ва авторизация"),
        ("Iteratsiyalar, politsiya, operatsion", "Итерациялар, полиция, операцион"),
        ("Aksiya, infeksiya, funksional", "Акция, инфекция, функционал"),
        ("Stansiya va konferensiya", "Станция ва конференция"),
        ("obyekt, subyektlar, inyeksiya", "объект, субъектлар, инъекция"),
        ("Yon panel va modellar", "Ён панель ва моделлар"),
        # Native words that only look similar keep their letters.
        ("Agar ketsa, aytsin; pensiya", "Агар кетса, айтсин; пенсия"),
        ("profilaktika", "профилактика"),
    ],
)
def test_loanwords_keep_their_cyrillic_spelling(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


MONTHS = [
    "yanvar",
    "fevral",
    "mart",
    "aprel",
    "may",
    "iyun",
    "iyul",
    "avgust",
    "sentabr",
    "oktabr",
    "noyabr",
    "dekabr",
]
CYRILLIC_MONTHS = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


@pytest.mark.parametrize(("latin", "cyrillic"), list(zip(MONTHS, CYRILLIC_MONTHS, strict=True)))
def test_month_names_take_their_cyrillic_spelling(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic
    assert to_cyrillic(latin.capitalize()) == cyrillic.capitalize()
    assert to_cyrillic(f"14-{latin}dan") == f"14-{cyrillic}дан"


def test_a_vowel_after_the_month_drops_the_soft_sign() -> None:
    assert to_cyrillic("sentabri, dekabrida") == "сентябри, декабрида"


def test_generated_catalogue_spells_every_month_and_weekday_in_cyrillic() -> None:
    """Django's Uzbek month names are borrowed and transliterated: full names (format F), the
    month in a date (E, "alt. month") and the abbreviations (b, N) must all read right."""
    entries = {
        (fields.get("msgctxt"), fields["msgid"]): fields.get("msgstr", "")
        for _, fields in read_entries(
            (LOCALE / "uz_Cyrl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        )
        if "msgid" in fields
    }
    english = (
        "January February March April May June July August September October November December"
    )
    for name, cyrillic in zip(english.split(), CYRILLIC_MONTHS, strict=True):
        assert entries[(None, name)] == cyrillic.capitalize()
        assert entries[("alt. month", name)] == cyrillic
    abbreviations = [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
    ]
    assert [entries[(None, a)] for a in abbreviations] == (
        ["ян", "фев", "мар", "апр", "май", "июнь", "июль", "авг", "сен", "окт", "ноя", "дек"]
    )
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert [entries[(None, d)] for d in weekdays] == (
        ["Душанба", "Сешанба", "Чоршанба", "Пайшанба", "Жума", "Шанба", "Якшанба"]
    )


SAMPLE = r"""# Murojaat interface: Uzbek (Latin).
# A second comment line.
#
msgid ""
msgstr ""
"Project-Id-Version: Murojaat 0.1.0\n"
"Language-Team: Uzbek (Latin)\n"
"Language: uz\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: murojaat/appeals/models.py:1
msgid "Inbox"
msgstr "Kiruvchilar"

#: murojaat/appeals/deadlines.py:88
#, python-format
msgid "%(days)d working day"
msgid_plural "%(days)d working days"
msgstr[0] "%(days)d ish kuni"
msgstr[1] "%(days)d ish kuni"

#, python-format
msgid ""
"A long message that the tools wrapped over two lines, with a \"quote\" and a "
"placeholder %(org)s."
msgstr ""
"Uzun xabar \"%(org)s\" tashkiloti\n"
"uchun: <a href=\"https://my.gov.uz\">havola</a>"

msgctxt "month name"
msgid "May"
msgstr "May"

#, fuzzy
msgid "Old"
msgstr "Eski"

msgid "Not yet"
msgstr ""
"""


def test_catalogue_translations_change_and_everything_else_is_kept() -> None:
    out = transliterate_catalogue(SAMPLE)
    assert out.startswith("# GENERATED from locale/uz")
    assert "A second comment line" not in out  # the Latin file's own header comment
    assert '"Language: uz_Cyrl\\n"' in out
    assert '"Language-Team: Uzbek (Cyrillic)\\n"' in out
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in out
    assert 'msgid "Inbox"\nmsgstr "Кирувчилар"' in out
    assert 'msgstr[0] "%(days)d иш куни"\nmsgstr[1] "%(days)d иш куни"' in out
    assert '"placeholder %(org)s."' in out  # msgids are copied as they are
    assert (
        'msgstr ""\n"Узун хабар \\"%(org)s\\" ташкилоти\\n"\n'
        '"учун: <a href=\\"https://my.gov.uz\\">ҳавола</a>"'
    ) in out
    assert 'msgctxt "month name"\nmsgid "May"\nmsgstr "Май"' in out
    assert '#, fuzzy\nmsgid "Old"\nmsgstr "Эски"' in out
    assert 'msgid "Not yet"\nmsgstr ""' in out
    assert "#: murojaat/appeals/deadlines.py:88\n#, python-format\n" in out


DJANGO_LIKE = r"""msgid ""
msgstr ""
"Language: uz\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "Inbox"
msgstr "Boshqa tarjima"

msgid "This field is required."
msgstr "Ushbu maydon to'ldirilishi shart."

#, python-format
msgid "Ensure this value has at most %(limit_value)d character."
msgid_plural "Ensure this value has at most %(limit_value)d characters."
msgstr[0] "Qiymat %(limit_value)d belgidan oshmasin."

#, fuzzy
msgid "Fuzzy one"
msgstr "Noaniq"

msgid "Untranslated"
msgstr ""
"""


def test_messages_of_django_fill_in_what_the_project_lacks(tmp_path: Path) -> None:
    source = tmp_path / "django.po"
    source.write_text(DJANGO_LIKE, encoding="utf-8")
    out = borrowed_messages(SAMPLE, [("django", source)])
    assert "Boshqa" not in out and "Бошқа" not in out  # the project's own "Inbox" wins
    assert (
        '# From django\nmsgid "This field is required."\nmsgstr "Ушбу майдон тўлдирилиши шарт."'
        in out
    )
    # Django's Uzbek has one plural form, the project's catalogue two.
    assert (
        'msgstr[0] "Қиймат %(limit_value)d белгидан ошмасин."\n'
        'msgstr[1] "Қиймат %(limit_value)d белгидан ошмасин."'
    ) in out
    assert "#, python-format" in out
    assert "Fuzzy one" not in out and "Untranslated" not in out
    assert 'msgid ""\n' not in out  # no second header


def test_django_and_installed_apps_catalogues_are_found() -> None:
    labels = [label for label, _ in django_catalogues()]
    assert labels[-1] == "django"  # lowest precedence, as in Django
    assert "django.contrib.admin" in labels
    assert not [label for label in labels if label.startswith("murojaat")]


def test_command_writes_and_checks(tmp_path: Path) -> None:
    source = tmp_path / "uz" / "LC_MESSAGES"
    source.mkdir(parents=True)
    (source / "django.po").write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(CommandError, match="Out of date"):
        call_command("make_cyrillic_catalogue", locale_dir=str(tmp_path), check=True)
    call_command(
        "make_cyrillic_catalogue",
        locale_dir=str(tmp_path),
        no_django_messages=True,
        stdout=StringIO(),
    )
    target = tmp_path / "uz_Cyrl" / "LC_MESSAGES" / "django.po"
    assert "Кирувчилар" in target.read_text(encoding="utf-8")
    call_command(
        "make_cyrillic_catalogue", locale_dir=str(tmp_path), no_django_messages=True, check=True
    )
    with pytest.raises(CommandError, match="Out of date"):  # Django's messages are missing
        call_command("make_cyrillic_catalogue", locale_dir=str(tmp_path), check=True)


def test_committed_cyrillic_catalogue_is_generated_from_the_latin_one() -> None:
    """Translate in locale/uz, then run `manage.py make_cyrillic_catalogue`."""
    call_command("make_cyrillic_catalogue", locale_dir=str(LOCALE), check=True)


_PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]|\{[^{}\s]*\}|<[^<>]+>|https?://\S+"
)


def test_committed_cyrillic_catalogue_keeps_every_placeholder() -> None:
    def msgstrs(path: Path) -> list[str]:
        text = path.read_text(encoding="utf-8")
        return re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', text, flags=re.MULTILINE)

    latin = msgstrs(LOCALE / "uz" / "LC_MESSAGES" / "django.po")
    cyrillic = msgstrs(LOCALE / "uz_Cyrl" / "LC_MESSAGES" / "django.po")
    # The project's messages come first, in the same order; Django's follow.
    assert len(cyrillic) >= len(latin)
    for lat, cyr in zip(latin, cyrillic[: len(latin)], strict=True):
        assert _PLACEHOLDER.findall(lat.replace('"\n"', "")) == _PLACEHOLDER.findall(
            cyr.replace('"\n"', "")
        )
