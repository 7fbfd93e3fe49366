"""Four-language names stored as columns, picked by the active language.

Organisations, regions and topics carry their names in the order's four languages as plain
columns (`name_uz`, `name_uz_cyrl`, `name_ru`, `name_en`): they are reference data loaded from
files, queried and sorted in SQL, and too few to justify a translation framework.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

# Language code -> column suffix, with the order in which to fall back.
_SUFFIX = {"uz": "uz", "uz-cyrl": "uz_cyrl", "ru": "ru", "en": "en"}
_FALLBACK = {
    "uz": ("uz", "uz_cyrl", "ru", "en"),
    "uz_cyrl": ("uz_cyrl", "uz", "ru", "en"),
    "ru": ("ru", "uz", "en", "uz_cyrl"),
    "en": ("en", "ru", "uz", "uz_cyrl"),
}


def language_suffix(language: str | None = None) -> str:
    """The column suffix for a language code (default: the active language)."""
    code = (language or get_language() or "uz").lower()
    return _SUFFIX.get(code, _SUFFIX.get(code.split("-")[0], "uz"))


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The first non-empty `<field>_<suffix>` in the language's fallback order.

    A Cyrillic column left empty is transliterated from the Latin one, so reference data
    needs only three spellings to show in four languages.
    """
    suffix = language_suffix(language)
    for candidate in _FALLBACK[suffix]:
        value = getattr(obj, f"{field}_{candidate}", "") or ""
        if value:
            if candidate == "uz" and suffix == "uz_cyrl":
                from murojaat.core.translit import latin_to_cyrillic

                return latin_to_cyrillic(value)
            return value
    return ""


class LocalizedNameMixin:
    """Gives a model with name_uz/name_uz_cyrl/name_ru/name_en a `name` in the active language."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name
