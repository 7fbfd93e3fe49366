"""Codes people read and type: no look-alike characters (l/I/1, O/0) in them."""

from __future__ import annotations

import secrets

# Capitals and digits without I, L, O, 0 and 1: read aloud on the phone or copied from an SMS,
# none can be taken for another.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def readable_code(length: int = 12) -> str:
    """A random code over ALPHABET (12 characters: about 59 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def digits_code(length: int = 6) -> str:
    """A one-time numeric code for an SMS or e-mail confirmation."""
    return "".join(secrets.choice("0123456789") for _ in range(length))


def as_typed(code: str) -> str:
    """A readable code as a person may type it back: in lower case, with spaces or hyphens
    (an SMS often splits it "ABCD-EFGH-JKMN"), reduced to the code itself."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")
