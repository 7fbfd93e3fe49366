"""manage.py make_cyrillic_catalogue: generate the Uzbek Cyrillic catalogue from the Latin one.

Uzbek is translated once, in the official Latin alphabet (locale/uz). The Cyrillic catalogue
(locale/uz_Cyrl, language code "uz-cyrl") is generated from it with the project's
transliterator, so the two scripts never drift apart. Run it after every change to
locale/uz/LC_MESSAGES/django.po, then `manage.py compilemessages`.

Only the translations (msgstr) change. Msgids, comments, references and flags are copied as
they are; a fuzzy Latin entry stays fuzzy. Inside a translation, these are copied unchanged,
because they are code or data rather than Uzbek words:

- printf placeholders: %(name)s, %s, %d, %.2f, %%;
- str.format and template placeholders: {name}, {0}, {{ var }}, {% tag %};
- HTML tags (with their attributes), comments and entities: <a href="...">, &nbsp;, &#8212;
- URLs and e-mail addresses;
- values to be typed as they are, in ASCII double quotes ("count", "percent"), and fields of
  an API request (votes[%(i)d]), `code` in backticks and HTTP header names (X-Signature);
- technical acronyms and key names written in Latin in both scripts (PDF, CSV, UTF-8, API,
  Ctrl...) and references
  to the order's rules (R-P2-5, L-10);
- single Latin letters used as symbols in a formula (Σ p², (v − s)²);
- the typographic apostrophe ’ (U+2019) of foreign names (D’Ondt): the Latin catalogue writes
  the Uzbek letters with ʻ (U+02BB) and ʼ (U+02BC), so ’ is never the tutuq belgisi;
- in a translation that already contains Cyrillic, quoted Latin words ("“Karimova” also finds
  “Каримова”"): they are examples of the Latin spelling.

Django and the installed third-party apps ship Uzbek Latin catalogues of their own (form
errors, month names, the admin) but none in Cyrillic, so a Cyrillic page would show them in
Latin. Their translated messages that the project does not translate itself are transliterated
too and appended to the generated file (--no-django-messages leaves them out).

The transliterator has no dictionary, so Russian loanwords whose Cyrillic spelling keeps the
Russian ц, ь, ъ or я are corrected afterwards (see LOANWORDS): by rule where the orthography
gives one (-tsiya/-ksiya -> -ция/-кция, consonant + ye -> ъе, the month names), from a list of
stems otherwise (parol -> пароль, stansiya -> станция).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from murojaat.core.translit import latin_to_cyrillic

SOURCE_LOCALE = "uz"
TARGET_LOCALE = "uz_Cyrl"

# Written in Latin letters in Cyrillic text too: acronyms, product names and keyboard keys.
LATIN_ACRONYMS = (
    "Alt",
    "Cmd",
    "Ctrl",
    "Django",
    "Python",
    "Enter",
    "Esc",
    "Shift",
    "Tab",
    "Unix",
    "API",
    "CSV",
    "DOCX",
    "HTML",
    "HTTP",
    "HTTPS",
    "ID",
    "JPEG",
    "JPG",
    "JSON",
    "LDAP",
    "PDF",
    "PNG",
    "QR",
    "SMS",
    "SSO",
    "SVG",
    "TIFF",
    "URL",
    "UTF-8",
    "XLSX",
    "XML",
)

_PROTECTED = re.compile(
    "|".join(
        (
            r"<!--.*?-->",  # HTML comment
            r"</?[A-Za-z][^<>]*>",  # HTML tag with its attributes
            r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);",  # HTML entity
            r"(?:https?|ftp)://[^\s<>\"“”«»]+",  # URL
            r"www\.[^\s<>\"“”«»]+",  # URL without a scheme
            r"mailto:[^\s<>\"“”«»]+",
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",  # e-mail address
            # printf: %(name)s, %s, %5.2f, %%
            r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]",
            r"\{\{.*?\}\}|\{%.*?%\}",  # Django template syntax
            r"\{[A-Za-z0-9_.\[\]!:<>^=+\- ]*\}",  # str.format: {}, {0}, {name}, {name!r:>10}
            r"\b[A-Z]{1,3}(?:-[A-Z]?[0-9]+)+\b",  # rule references: R-P2-5, L-10
            r'"[A-Za-z0-9_.,:/%+-]+"',  # a value to type as it is, in ASCII quotes: "count"
            r"\b[A-Za-z_][A-Za-z0-9_]*\[[^\]\s]*\]",  # a field of an API request: votes[2]
            r"`[^`\n]+`",  # code in backticks
            r"\bX-[A-Za-z]+(?:-[A-Za-z]+)*",  # HTTP header names: X-Timestamp
            r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in LATIN_ACRONYMS) + r")(?![\w-])",
            "\u2019",  # typographic apostrophe of foreign names
        )
    ),
    re.DOTALL,
)
_QUOTED_LATIN = re.compile(r"[“«\"][A-Za-z\u02bb\u02bc' -]+[”»\"]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_MATH = set("²³Σ√½−+=×÷/()")
_LETTER = "A-Za-z\u00c0-\u024f\u02bb\u02bc\u0400-\u04ff"
_LONE_LETTER = re.compile(rf"(?<![{_LETTER}])[A-Za-z](?![{_LETTER}])")

_CYR_VOWELS = "аеёиоуэюяўАЕЁИОУЭЮЯЎ"
_CYR_CONSONANTS = "бвгджзйклмнпрстфхцчшщқғҳ"
_NOT_VOWEL = rf"(?![{_CYR_VOWELS}])"
# Russian loanwords keep their Russian spelling in Uzbek Cyrillic (the 1956 orthography), which
# the Latin alphabet of 1995 simplifies: ц is written "ts" after a vowel and "s" elsewhere, the
# soft sign and the hard sign are dropped, я after a consonant may become "a". The transliterator
# has no dictionary, so the spelling is restored here: general rules where the orthography
# gives one, a list of stems where it does not. Matched case-insensitively on the transliterated
# text; the case of the first letter (or all capitals) is kept.
LOANWORDS: tuple[tuple[str, str], ...] = (
    # -tsiya, -tsion: ц written "ts" after a vowel (navigatsiya, politsiya, operatsion). Native
    # words have "ts" only before a suffix's consonant (ketsa, aytsin), never before "iya/io".
    (rf"(?<=[{_CYR_VOWELS}])тси(?=[яо])", "ци"),
    # -ksiya, -ksion: ц written "s" after к (funksiya, inspeksiya, aksiya, funksional).
    (r"(?<=к)си(?=[яо])", "ци"),
    # ц written "s" after н: only some stems (pensiya, ekspansiya keep their с).
    (r"\b(инстан|стан|дистан|конферен|тенден|компетен|конвен|референ)си(?=[яо])", r"\1ци"),
    (r"\bпринсип", "принцип"),
    # The hard sign before е after a prefix's consonant: obyekt, subyekt, inyeksiya.
    (rf"(?<=[{_CYR_CONSONANTS}])йе", "ъе"),
    # Month names: я for "a" after т (sentabr, oktabr), and the soft sign ending the stem
    # unless a vowel follows (январь, январдан but январи).
    (r"\b(сент|окт)абр", r"\1ябр"),
    (rf"\b(январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр){_NOT_VOWEL}", r"\1ь"),
    # The abbreviation of ноябрь (Latin "noy"), which the letters alone make "ной".
    (r"\bной(?![\w-])", "ноя"),
    # Other stems ending in a soft sign (not before л: моделлар, панеллар).
    (rf"\b(парол|профил|модул|модел|панел|мебел)(?![{_CYR_VOWELS}лЛ])", r"\1ь"),
    # A soft sign inside the stem.
    (r"калкулятор", "калькулятор"),
    (r"филтр", "фильтр"),
)
_LOANWORDS = [(re.compile(p, re.IGNORECASE), r) for p, r in LOANWORDS]


def _keep_case(replacement: str) -> Callable[[re.Match[str]], str]:
    def sub(match: re.Match[str]) -> str:
        found = match.group(0)
        new = match.expand(replacement)
        if found.isupper() and len(found) > 1:
            return new.upper()
        if found[:1].isupper():
            return new[:1].upper() + new[1:]
        return new

    return sub


def _fix_loanwords(text: str) -> str:
    for pattern, replacement in _LOANWORDS:
        text = pattern.sub(_keep_case(replacement), text)
    return text


def _protected_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _PROTECTED.finditer(text)]
    if _CYRILLIC.search(text):
        spans += [m.span() for m in _QUOTED_LATIN.finditer(text)]
    for m in _LONE_LETTER.finditer(text):
        before = text[: m.start()].rstrip(" ")[-1:]
        after = text[m.end() :].lstrip(" ")[:1]
        if before in _MATH or after in _MATH:
            spans.append(m.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def to_cyrillic(text: str) -> str:
    """One translation from Latin to Cyrillic, leaving code, markup and URLs as they are."""
    out: list[str] = []
    position = 0
    for start, end in _protected_spans(text):
        out.append(_fix_loanwords(latin_to_cyrillic(text[position:start])))
        out.append(text[start:end])
        position = end
    out.append(_fix_loanwords(latin_to_cyrillic(text[position:])))
    return "".join(out)


# --- A minimal .po reader and writer ------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_STRING_LINE = re.compile(r'^\s*"(.*)"\s*$')
_KEYWORD_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value, flags=re.DOTALL)


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def _format(keyword: str, value: str) -> list[str]:
    """A keyword and its string, split after each newline like the gettext tools do."""
    pieces = value.splitlines(keepends=True)
    if len(pieces) <= 1:
        return [f'{keyword} "{escape(value)}"']
    return [f'{keyword} ""'] + [f'"{escape(piece)}"' for piece in pieces]


def _header(value: str) -> str:
    lines = []
    for line in value.splitlines():
        name = line.split(":", 1)[0]
        if name == "Language":
            line = f"Language: {TARGET_LOCALE}"
        elif name == "Language-Team":
            line = "Language-Team: Uzbek (Cyrillic)"
        lines.append(line)
    return "".join(line + "\n" for line in lines)


def transliterate_catalogue(po_text: str, transform: Callable[[str], str] = to_cyrillic) -> str:
    """The Latin catalogue's text with every msgstr transliterated (the header adjusted)."""
    out: list[str] = [
        "# GENERATED from locale/uz by `manage.py make_cyrillic_catalogue`: do not edit;",
        "# translate in locale/uz/LC_MESSAGES/django.po and run the command again.",
    ]
    lines = po_text.splitlines()
    entry: dict[str, str] = {}
    started = False  # past the file's header comment
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            entry = {}
            out.append(line)
            i += 1
            continue
        match = _KEYWORD_LINE.match(line)
        if not match:
            # Comments, flags, references, obsolete entries (#~): copied as they are. The
            # Latin file's own header comment is replaced by the notice above.
            if started or not (line.startswith("# ") or line == "#"):
                out.append(line)
            i += 1
            continue
        started = True
        keyword, first = match.groups()
        parts = [first]
        i += 1
        while i < len(lines) and (string := _STRING_LINE.match(lines[i])):
            parts.append(string.group(1))
            i += 1
        raw = [f'{keyword} "{first}"'] + [f'"{p}"' for p in parts[1:]]
        value = unescape("".join(parts))
        entry[keyword] = value
        if not keyword.startswith("msgstr"):
            out.extend(raw)
        elif entry.get("msgid") == "" and "msgctxt" not in entry:
            out.extend(_format(keyword, _header(value)))
        elif value:
            out.extend(_format(keyword, transform(value)))
        else:
            out.extend(raw)
    return "\n".join(out) + "\n"


def read_entries(po_text: str) -> list[tuple[list[str], dict[str, str]]]:
    """(flags, {keyword: value}) for each entry of a catalogue; obsolete entries are skipped."""
    entries: list[tuple[list[str], dict[str, str]]] = []
    current: tuple[list[str], dict[str, str]] | None = None
    keyword = ""
    for line in po_text.splitlines():
        line = line.strip()
        if not line:
            current = None
            continue
        if line.startswith("#~") or (line.startswith("#") and not line.startswith("#,")):
            continue
        if current is None:
            current = ([], {})
            entries.append(current)
        if line.startswith("#,"):
            current[0].extend(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif match := _KEYWORD_LINE.match(line):
            keyword = match.group(1)
            current[1][keyword] = unescape(match.group(2))
        elif (match := _STRING_LINE.match(line)) and keyword:
            current[1][keyword] += unescape(match.group(1))
    return entries


def _key(fields: dict[str, str]) -> tuple[str | None, str]:
    return fields.get("msgctxt"), fields.get("msgid", "")


def _nplurals(po_text: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po_text)
    return int(match.group(1)) if match else 2


def django_catalogues(domain: str = "django") -> list[tuple[str, Path]]:
    """The Uzbek Latin catalogues of the installed apps outside the project, then Django's.

    In the order Django gives them precedence: earlier INSTALLED_APPS first, Django last.
    """
    project = __name__.split(".")[0]  # the project's own apps are in locale/uz already
    found: list[tuple[str, Path]] = []
    for app_config in apps.get_app_configs():
        if app_config.name.split(".")[0] == project:
            continue
        candidate = (
            Path(app_config.path) / "locale" / SOURCE_LOCALE / "LC_MESSAGES" / f"{domain}.po"
        )
        if candidate.exists():
            found.append((app_config.name, candidate))
    core = Path(django.__file__).parent / "conf" / "locale" / SOURCE_LOCALE / "LC_MESSAGES"
    if (core / f"{domain}.po").exists():
        found.append(("django", core / f"{domain}.po"))
    return found


def borrowed_messages(
    project_text: str,
    sources: list[tuple[str, Path]],
    transform: Callable[[str], str] = to_cyrillic,
) -> str:
    """Translated messages of `sources` that the project lacks, transliterated, as .po text."""
    nplurals = _nplurals(project_text)
    known = {_key(fields) for _, fields in read_entries(project_text)}
    out: list[str] = []
    for label, source in sources:
        for flags, fields in read_entries(source.read_text(encoding="utf-8")):
            key = _key(fields)
            forms = [fields[k] for k in sorted(fields) if k.startswith("msgstr")]
            if key in known or key[1] == "" or "fuzzy" in flags or not all(forms):
                continue
            known.add(key)
            out.append("")
            out.append(f"# From {label}")
            if flags:
                out.append("#, " + ", ".join(flags))
            for keyword in ("msgctxt", "msgid", "msgid_plural"):
                if keyword in fields:
                    out.extend(_format(keyword, fields[keyword]))
            if "msgid_plural" in fields:
                # Their plural rule may have fewer forms (Django's Uzbek has one).
                forms = (forms + [forms[-1]] * nplurals)[:nplurals]
                for index, form in enumerate(forms):
                    out.extend(_format(f"msgstr[{index}]", transform(form)))
            else:
                out.extend(_format("msgstr", transform(fields["msgstr"])))
    if not out:
        return ""
    return (
        "\n# Below: messages of Django and of the installed apps that the project does not"
        "\n# translate itself, transliterated from their own Uzbek Latin catalogues.\n"
        + "\n".join(out)
        + "\n"
    )


class Command(BaseCommand):
    help = (
        "Generate locale/uz_Cyrl/LC_MESSAGES/<domain>.po from locale/uz by transliteration, "
        "leaving placeholders, HTML and URLs unchanged. Run compilemessages afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale-dir",
            default=str(settings.LOCALE_PATHS[0]),
            help="The directory holding uz/ and uz_Cyrl/ (default: the first LOCALE_PATHS).",
        )
        parser.add_argument(
            "--domain",
            action="append",
            help="Catalogue domain(s) (default: every .po file of locale/uz).",
        )
        parser.add_argument(
            "--no-django-messages",
            action="store_true",
            help="Leave out the messages of Django and of the installed apps.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the Cyrillic catalogue is not up to date.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(options["locale_dir"])
        source_dir = locale_dir / SOURCE_LOCALE / "LC_MESSAGES"
        domains = options["domain"] or sorted(p.stem for p in source_dir.glob("*.po"))
        if not domains:
            raise CommandError(f"No Uzbek Latin catalogue in {source_dir}.")
        stale = []
        for domain in domains:
            source = source_dir / f"{domain}.po"
            if not source.exists():
                raise CommandError(f"{source} does not exist.")
            target = locale_dir / TARGET_LOCALE / "LC_MESSAGES" / f"{domain}.po"
            latin = source.read_text(encoding="utf-8")
            text = transliterate_catalogue(latin)
            if not options["no_django_messages"]:
                text += borrowed_messages(latin, django_catalogues(domain))
            current = target.read_text(encoding="utf-8") if target.exists() else None
            if options["check"]:
                if current != text:
                    stale.append(str(target))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            self.stdout.write(f"make_cyrillic_catalogue: {source} -> {target}")
        if stale:
            raise CommandError(
                "Out of date (run manage.py make_cyrillic_catalogue): " + ", ".join(stale)
            )
