"""Who wrote: the normalised keys an author is recognised by (L-6 repeat appeals, issue 9).

An author types their phone as "+998 90 123-45-67" one day and "90 123 45 67" the next, their
e-mail in any case, their name in Latin or Cyrillic. Comparing the raw fields with `iexact`
missed those and could use no index. These keys are computed once, when an appeal is written
(`author_keys`), stored beside the raw fields and indexed, so "the same author wrote before" is
one equality on an index, whoever asks (the L-6 check at registration, the appeal page's link).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from .translit import normalize_for_search

# Numbers written without a country code are Uzbek (the ministry's own country).
DEFAULT_REGION = "UZ"
_NOT_DIGITS = re.compile(r"\D")


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """The phone in E.164 ("+998901234567"), or "" when there is none.

    A number that no numbering plan accepts is kept as its digits with a "+" (if it had one),
    so two spellings of the same odd number still meet; it is never dropped. The old trunk
    prefix 8 before a 9-digit Uzbek number ("8 90 123 45 67") is the same number."""
    text = (raw or "").strip()
    digits = _NOT_DIGITS.sub("", text)
    if not digits:
        return ""
    if not text.startswith("+") and len(digits) == 10 and digits.startswith("8"):
        digits = digits[1:]
        text = digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return ("+" if text.startswith("+") else "") + digits


def normalise_email(raw: str) -> str:
    """The e-mail case-folded and trimmed (the domain is case-insensitive; in practice so is
    every mailbox people type)."""
    return (raw or "").strip().casefold()


def normalise_name(name: str, address: str = "") -> str:
    """Name and address in one key, script-, case- and spacing-insensitive: L-6 recognises an
    author without phone or e-mail by both together ("" when either is missing)."""
    name_key, address_key = normalize_for_search(name or ""), normalize_for_search(address or "")
    if not name_key or not address_key:
        return ""
    return f"{name_key}|{address_key}"[:255]


@dataclass(frozen=True)
class AuthorKeys:
    phone: str
    email: str
    name: str


def author_keys(*, phone: str, email: str, name: str, address: str) -> AuthorKeys:
    """The one normalisation of an author, for writing the keys and for looking them up."""
    return AuthorKeys(
        phone=normalise_phone(phone)[:32],
        email=normalise_email(email)[:254],
        name=normalise_name(name, address),
    )
