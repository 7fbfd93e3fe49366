"""The translation catalogues are complete and the committed .mo files match them.

Every interface string exists in four languages: Uzbek Latin and Russian are translated by
hand, Uzbek Cyrillic is generated from Uzbek Latin (manage.py make_cyrillic_catalogue) and
English is the msgids themselves. When a test here fails after you added or changed a string:

    .venv/bin/python manage.py makemessages -l uz -l ru -l en --no-obsolete \
        --ignore=.venv --ignore=tests --ignore=bench
    # translate the new entries in locale/uz and locale/ru (no "fuzzy" left)
    .venv/bin/python manage.py make_cyrillic_catalogue
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ("uz", "ru", "uz_Cyrl")
ALL = (*TRANSLATED, "en")
NPLURALS = {"uz": 2, "uz_Cyrl": 2, "ru": 3, "en": 2}
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "uz",
    "-l",
    "ru",
    "-l",
    "en",
    "--no-obsolete",
    "--ignore=.venv",
    "--ignore=tests",
    "--ignore=bench",
]


# --- A minimal .po parser -------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        ctx = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {ctx}{self.msgid!r}"


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """(header fields, entries) of a .po file; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    current: tuple[str, int] | None = None

    def start() -> Entry:
        nonlocal entry
        if entry is None:
            entry = Entry()
            entries.append(entry)
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, current = None, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start().flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
        if match:
            keyword, index, value = match.groups()
            e = start()
            if keyword == "msgid" and not e.line:
                e.line = number
            current = (keyword, int(index or 0))
            _append(e, current, _unescape(value))
            continue
        string = re.match(r'^"(.*)"$', line)
        assert string and entry is not None and current, f"{path}:{number}: cannot parse {raw!r}"
        _append(entry, current, _unescape(string.group(1)))
    header: dict[str, str] = {}
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        for field_line in entries.pop(0).msgstr.get(0, "").splitlines():
            name, _, value = field_line.partition(":")
            header[name.strip()] = value.strip()
    return header, entries


def _append(entry: Entry, current: tuple[str, int], value: str) -> None:
    keyword, index = current
    if keyword == "msgid":
        entry.msgid += value
    elif keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    else:
        entry.msgstr[index] = entry.msgstr.get(index, "") + value


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def untranslated(entries: list[Entry], nplurals: int) -> list[str]:
    problems = []
    for e in entries:
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy {e.label}")
            continue
        forms = nplurals if e.msgid_plural is not None else 1
        if any(not e.msgstr.get(i) for i in range(forms)):
            problems.append(f"untranslated {e.label}")
    return problems


# --- The catalogues -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ALL)
def test_catalogue_exists_with_its_header(lang: str) -> None:
    header, entries = parse_po(po_path(lang))
    assert entries, f"{po_path(lang)} has no messages"
    assert header.get("Language") == lang
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert re.match(rf"nplurals={NPLURALS[lang]};", header.get("Plural-Forms", "")), header


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang: str) -> None:
    _, entries = parse_po(po_path(lang))
    problems = untranslated(entries, NPLURALS[lang])
    assert not problems, f"{po_path(lang)}:\n" + "\n".join(problems)


def test_catalogues_hold_the_same_messages() -> None:
    def keys(lang: str) -> list[tuple[str, str, str]]:
        entries = parse_po(po_path(lang))[1]
        return sorted((e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in entries)

    reference = keys("uz")
    for lang in ("ru", "en"):
        assert keys(lang) == reference, f"{lang} and uz differ: run makemessages for both"
    # Uzbek Cyrillic also carries Django's own messages (see make_cyrillic_catalogue).
    missing = set(reference) - set(keys("uz_Cyrl"))
    assert not missing, "uz_Cyrl lacks messages: run make_cyrillic_catalogue"


_NAMED = re.compile(r"%\(([^)]+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")
_UNNAMED = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")


def _unnamed(text: str) -> int:
    return len(_UNNAMED.findall(text.replace("%%", "")))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang: str) -> None:
    problems = []
    for e in parse_po(po_path(lang))[1]:
        if "python-format" not in e.flags:
            continue
        names = set(_NAMED.findall(e.msgid))
        plural_names = set(_NAMED.findall(e.msgid_plural or ""))
        # A plural form may leave out what only one of the English forms has ("one day").
        allowed = names | plural_names
        required = names & plural_names if e.msgid_plural is not None else names
        for index, text in e.msgstr.items():
            found = set(_NAMED.findall(text))
            if not required <= found <= allowed:
                problems.append(f"{e.label} msgstr[{index}] {text!r}")
            if _unnamed(text) != _unnamed(e.msgid):
                problems.append(f"{e.label} msgstr[{index}] unnamed placeholders {text!r}")
    assert not problems, "\n".join(problems)


# --- The compiled catalogues ----------------------------------------------------------------


def _expected_mo_catalogue(lang: str) -> dict[object, str]:
    """What msgfmt puts in the .mo: translated, non-fuzzy messages."""
    expected: dict[object, str] = {}
    for e in parse_po(po_path(lang))[1]:
        if "fuzzy" in e.flags or not any(e.msgstr.values()):
            continue
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[msgid] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(msgid, index)] = text
    return expected


@pytest.mark.parametrize("lang", ALL)
def test_committed_mo_matches_the_po(lang: str) -> None:
    """The .mo files are committed (fresh machines may lack gettext): they must be current."""
    mo = po_path(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalogue = {k: v for k, v in _mo_catalogue(mo).items() if k != ""}
    expected = _expected_mo_catalogue(lang)
    stale = sorted(str(k) for k in expected.keys() ^ catalogue.keys())[:10]
    assert not stale, f"{mo} is out of date (run compilemessages): {stale}"
    changed = sorted(str(k) for k in expected if expected[k] != catalogue[k])[:10]
    assert not changed, f"{mo} is out of date (run compilemessages): {changed}"
    assert compiled.info().get("language") == lang


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools are not installed")
@pytest.mark.parametrize("lang", ALL)
def test_po_compiles_cleanly_with_msgfmt(lang: str, tmp_path: Path) -> None:
    """As compilemessages does (--check-format), and with the same number of messages."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", str(tmp_path / "django.mo"),
         str(po_path(lang))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = re.search(r"(\d+) translated message", result.stderr)
    messages = {k[0] if isinstance(k, tuple) else k for k in _expected_mo_catalogue(lang)}
    assert (int(found.group(1)) if found else 0) == len(messages)
    assert _mo_catalogue(tmp_path / "django.mo") == _mo_catalogue(po_path(lang).with_suffix(".mo"))


def _mo_catalogue(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


# --- Strings in the code that the catalogues lack -------------------------------------------


def _lone_percent(msgid: str) -> bool:
    """A literal % sign ("% of votes") that xgettext takes for a directive ("% o")."""
    return re.search(r"%(?![(%sdifr])", msgid.replace("%%", "")) is not None


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Entry]]:
    """The catalogues as makemessages leaves them now, made in a copy of the tree."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("gettext tools are not installed")
    copy = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__", "static", "*.pyc", "*.mo")
    shutil.copytree(ROOT / "murojaat", copy / "murojaat", ignore=ignore)
    shutil.copytree(LOCALE, copy / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "murojaat.settings"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {
        lang: parse_po(copy / "locale" / lang / "LC_MESSAGES" / "django.po")[1]
        for lang in ("uz", "ru")
    }


def test_every_string_in_the_code_is_in_the_catalogues(extracted: dict[str, list[Entry]]) -> None:
    """Extract the strings again and require each to be translated.

    Fails when a string was added or changed in the code or templates without running
    makemessages and translating it.
    """
    problems = []
    for lang, entries in extracted.items():
        problems += [f"{lang} {p}" for p in untranslated(entries, NPLURALS[lang])]
    assert not problems, "Strings without a translation:\n" + "\n".join(problems)


def test_literal_percent_signs_are_not_taken_for_placeholders(
    extracted: dict[str, list[Entry]],
) -> None:
    """xgettext reads "% of votes" as the directive "% o": msgfmt then rejects any translation
    and makemessages marks it fuzzy. Put `# xgettext:no-python-format` on the line before
    such a string (or write "percent")."""
    flagged = [
        e.msgid for e in extracted["ru"] if "python-format" in e.flags and _lone_percent(e.msgid)
    ]
    assert not flagged, flagged
