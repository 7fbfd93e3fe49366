"""Dates and numbers read right in each interface language (murojaat/formats).

Issue 2 asks that every page honours the chosen language; Django's Uzbek formats are Latin
only ("2-Декабр, 2026-yil" on a Cyrillic page) and put "25.10.2006" first among the input
formats, which an <input type="date"> cannot display.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

DAY = date(2026, 12, 14)
MOMENT = datetime(2026, 9, 2, 9, 5)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("uz", "2026-yil 14-dekabr", "14.12.2026"),
        ("uz-cyrl", "2026-йил 14-декабрь", "14.12.2026"),
        ("ru", "14 декабря 2026 г.", "14.12.2026"),
        ("en", "14 Dec 2026", "14/12/2026"),
    ],
)
def test_dates_are_written_in_the_language_and_its_script(
    language: str, long: str, short: str
) -> None:
    with translation.override(language):
        assert formats.date_format(DAY) == long
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uz", "2026-yil 2-sentabr, 09:05"),
        ("uz-cyrl", "2026-йил 2-сентябрь, 09:05"),
        ("ru", "2 сентября 2026 г., 09:05"),
        ("en", "2 Sep 2026, 09:05"),
    ],
)
def test_date_and_time_read_in_the_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == expected


def test_no_latin_is_left_in_a_cyrillic_date_of_any_month() -> None:
    with translation.override("uz-cyrl"):
        for month in range(1, 13):
            text = formats.date_format(date(2026, month, 1))
            assert not any("a" <= c.lower() <= "z" for c in text), text


@pytest.mark.parametrize(
    ("language", "number", "decimal"),
    [
        ("uz", "12\xa0345", "1\xa0234,5"),
        ("uz-cyrl", "12\xa0345", "1\xa0234,5"),
        ("ru", "12\xa0345", "1\xa0234,5"),
        ("en", "12,345", "1,234.5"),
    ],
)
def test_numbers_are_grouped_by_thousands(language: str, number: str, decimal: str) -> None:
    with translation.override(language):
        assert formats.localize(12345) == number
        assert formats.localize(1234.5) == decimal


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "en"])
def test_unlocalize_keeps_numbers_for_attributes_and_urls(language: str) -> None:
    template = Template(
        '{% load l10n %}<a id="a-{{ pk|unlocalize }}" data-n="{{ pk|unlocalize }}">'
    )
    with translation.override(language):
        html = template.render(Context({"pk": 12345}))
    assert html == '<a id="a-12345" data-n="12345">'


class _DayForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "en"])
def test_date_inputs_show_and_accept_iso_dates_in_every_language(language: str) -> None:
    """<input type="date"> shows nothing unless its value is YYYY-MM-DD."""
    with translation.override(language):
        assert 'value="2026-12-14"' in str(_DayForm(initial={"day": DAY})["day"])
        form = _DayForm({"day": "2026-12-14"})
        assert form.is_valid() and form.cleaned_data["day"] == DAY


@pytest.mark.parametrize(
    ("language", "typed"), [("uz", "14.12.2026"), ("ru", "14.12.2026"), ("en", "14/12/2026")]
)
def test_the_short_date_shown_can_be_typed_back(language: str, typed: str) -> None:
    with translation.override(language):
        form = _DayForm({"day": typed})
        assert form.is_valid() and form.cleaned_data["day"] == DAY
