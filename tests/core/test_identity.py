"""L-6: an author is recognised by normalised keys, whatever the spelling (issue 9)."""

from __future__ import annotations

from datetime import datetime

import pytest

from murojaat.appeals.deadlines import TASHKENT
from murojaat.appeals.models import Appeal
from murojaat.core.identity import author_keys, normalise_email, normalise_name, normalise_phone
from tests.appeals.helpers import register
from tests.factories import Ministry


@pytest.mark.parametrize(
    "raw",
    ["+998 90 123-45-67", "+998901234567", "998901234567", "90 123 45 67", "(90) 123-45-67",
     "8 90 123 45 67", "00998901234567"],
)  # fmt: skip
def test_every_spelling_of_an_uzbek_phone_is_one_e164_key_l_6(raw: str) -> None:
    assert normalise_phone(raw) == "+998901234567"


def test_phones_of_other_countries_and_odd_numbers_keep_their_digits() -> None:
    assert normalise_phone("+7 701 123 45 67") == "+77011234567"
    assert normalise_phone("+998 90 123 45 68") != normalise_phone("+998 90 123 45 67")
    assert normalise_phone("12-34") == "1234"
    assert normalise_phone("  ") == ""


def test_e_mail_and_name_keys_ignore_case_script_and_spacing_l_6() -> None:
    assert normalise_email(" Dilnoza.Karimova@Mail.UZ ") == "dilnoza.karimova@mail.uz"
    latin = normalise_name("Karimova  Dilnoza", "Zangiota tumani, 12-uy")
    assert latin == normalise_name("КАРИМОВА Дилноза", "Зангиота тумани, 12-уй")
    assert normalise_name("Karimova Dilnoza", "") == ""  # L-6 needs both name and address
    assert author_keys(phone="", email="", name="A", address="B").name == "a|b"


def test_a_repeat_is_found_whatever_the_phone_s_spelling_l_6(ministry: Ministry) -> None:
    first = register(
        author_phone="+998 90 123-45-67", received=datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)
    )
    later = register(
        author_phone="90 123 45 67", received=datetime(2026, 11, 17, 10, 0, tzinfo=TASHKENT)
    )
    assert later.repeat_of == first
    assert first.author_phone_key == later.author_phone_key == "+998901234567"
    stranger = register(
        author_phone="+998 90 765 43 21", received=datetime(2026, 11, 18, 10, 0, tzinfo=TASHKENT)
    )
    assert stranger.repeat_of is None


def test_a_repeat_by_e_mail_ignores_case_and_by_name_ignores_script_l_6(
    ministry: Ministry,
) -> None:
    by_mail = register(
        author_phone="",
        author_email="Ali@Mail.uz",
        received=datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT),
    )
    again = register(
        author_phone="",
        author_email="ali@mail.UZ",
        received=datetime(2026, 11, 17, 10, 0, tzinfo=TASHKENT),
    )
    assert again.repeat_of == by_mail
    by_name = register(
        author_phone="", author_name="Valiyev Ali", author_address="Chilonzor 5",
        received=datetime(2026, 11, 18, 10, 0, tzinfo=TASHKENT),
    )  # fmt: skip
    cyrillic = register(
        author_phone="", author_name="ВАЛИЕВ Али", author_address="Чилонзор 5",
        received=datetime(2026, 11, 19, 10, 0, tzinfo=TASHKENT),
    )  # fmt: skip
    assert cyrillic.repeat_of == by_name


def test_saving_new_author_fields_rewrites_the_keys(ministry: Ministry) -> None:
    appeal = register()
    appeal.author_phone = "+998 91 000 00 01"
    appeal.save(update_fields=["author_phone"])
    assert Appeal.objects.get(pk=appeal.pk).author_phone_key == "+998910000001"
