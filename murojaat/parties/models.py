"""The party registry: parties as chains of dated events, laws as data, elections with results.

History is data (ARCHITECTURE.md): a party's name, registration, merger or bloc membership is never
a mutable field but an event with a date and a source, so the registry can answer "which parties
were registered on date D" and "what did party X become" for any D, and the lineage graph (K-5) is
drawn from the same rows.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from murojaat.core.i18n import language_suffix

from .apportionment import Method, TieRule


def localized_text(obj: models.Model, field: str, language: str | None = None) -> str:
    """``field`` in the active language: ``<field>_ru``/``_uz``/``_uz_cyrl``, English in ``field``.

    The registry's English text is the base column (the article is in English); the other
    languages are optional columns. An empty Cyrillic column is transliterated from the Latin
    Uzbek one; anything still empty falls back to English, so a page never shows a blank name.
    """
    suffix = language_suffix((language or get_language() or "uz").replace("_", "-"))
    base = getattr(obj, field, "") or ""
    if suffix == "en":
        return base
    value = getattr(obj, f"{field}_{suffix}", "") or ""
    if not value and suffix == "uz_cyrl":
        latin = getattr(obj, f"{field}_uz", "") or ""
        if latin:
            from murojaat.core.translit import latin_to_cyrillic

            value = latin_to_cyrillic(latin)
    return value or base


def names_of(obj: models.Model, field: str = "name") -> dict[str, str]:
    """``field`` in all four languages (exports and the API), keyed by language code."""
    return {code: localized_text(obj, field, code) for code in ("en", "uz", "uz_Cyrl", "ru")}


def _translations(field: str, label: Any, text: bool = False, max_length: int = 200) -> dict:
    """The three non-English columns of a four-language field (English is the base column)."""
    out = {}
    languages = (("uz", _("Uzbek")), ("uz_cyrl", _("Uzbek, Cyrillic")), ("ru", _("Russian")))
    for suffix, language in languages:
        verbose = format_lazy("{} ({})", label, language)
        out[f"{field}_{suffix}"] = (
            models.TextField(verbose, blank=True)
            if text
            else models.CharField(verbose, max_length=max_length, blank=True)
        )
    return out


#: Paths of the API that a party slug would shadow (``/api/parties/{slug}`` is declared last).
RESERVED_SLUGS = frozenset({"registered", "elections", "allocate"})


def validate_party_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is reserved by the API; choose another identifier."),
            params={"value": value},
        )


class MethodChoice(models.TextChoices):
    """The allocation methods of ``apportionment.Method``, with names for people."""

    HARE = Method.HARE.value, _("Largest remainder, Hare quota")
    DROOP = Method.DROOP.value, _("Largest remainder, Droop quota")
    DHONDT = Method.DHONDT.value, _("D'Hondt")
    SAINTE_LAGUE = Method.SAINTE_LAGUE.value, _("Sainte-Laguë")


class Orientation(models.TextChoices):
    """K-7: the article's grouping of the 2012 parties by their relation to official policy."""

    RULING = "ruling", _("Ruling party")
    LOYAL = "loyal", _("Loyal, not an ally")
    FORCED_OPPOSITION = "forced_opposition", _("Forced parliamentary opposition")
    PRINCIPLED_OPPOSITION = "principled_opposition", _("Principled opposition")


class PartyKind(models.TextChoices):
    PARTY = "party", _("Party")
    BLOC = "bloc", _("Electoral bloc")
    MOVEMENT = "movement", _("Movement or association")


class DatePrecision(models.TextChoices):
    """The article often gives only a month or a year, or "later", or "before the election".

    The stored date is the period's first day (MONTH, YEAR), the earliest possible day (AFTER:
    "later on"), or the latest possible day (BEFORE: "on the threshold of the 2004 election").
    """

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    AFTER = "after", _("On or after")
    BEFORE = "before", _("By")
    BEFORE_EXCLUSIVE = "before_exclusive", _("Before")


def date_interval(day: date, precision: str) -> tuple[date | None, date | None]:
    """The earliest and latest day an event stored at ``precision`` can have happened on.

    ``None`` means unbounded: "on or after 2006" has no latest day, "by 2004" no earliest. A
    "before 14 January" event is stored with the date 14 January and precision
    ``before_exclusive``, so its latest possible day is 13 January, as the source says.
    """
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    if precision == DatePrecision.AFTER:
        return day, None
    if precision == DatePrecision.BEFORE:
        return None, day
    if precision == DatePrecision.BEFORE_EXCLUSIVE:
        return None, day - timedelta(days=1)
    return day, day


class Region(models.Model):
    """A first-level unit of Kazakhstan in which K-2 requires a branch (regions, Astana, Almaty).

    Dated, because the set changes (new cities of republican status, regions split), and a
    registration check must use the regions that existed on the date checked.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_city = models.BooleanField(_("city of republican status"), default=False)
    valid_from = models.DateField(_("exists from"), null=True, blank=True)
    valid_to = models.DateField(_("exists until"), null=True, blank=True)

    class Meta:
        ordering = ["is_city", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """A party, bloc or movement under one name; a rename starts a new node linked by an event."""

    slug = models.SlugField(
        _("identifier"), max_length=80, unique=True, validators=[validate_party_slug]
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind, default=PartyKind.PARTY)
    orientation = models.CharField(
        _("orientation group"), max_length=30, choices=Orientation, blank=True
    )
    value_guidelines = models.TextField(_("value guidelines"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)
    locals().update(_translations("name", _("name")))
    locals().update(_translations("notes", _("notes"), text=True))

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (English in ``name``)."""
        return localized_text(self, "name")

    @property
    def display_notes(self) -> str:
        return localized_text(self, "notes")


class EventKind(models.TextChoices):
    FOUNDED = "founded", _("Founded")
    REGISTERED = "registered", _("Registered")
    RE_REGISTERED = "re_registered", _("Re-registered")
    MERGED_INTO = "merged_into", _("Merged into")
    RENAMED = "renamed", _("Renamed")
    JOINED_BLOC = "joined_bloc", _("Joined a bloc")
    LEFT_BLOC = "left_bloc", _("Left a bloc")
    DISSOLVED = "dissolved", _("Dissolved")


#: Event kinds whose ``related`` party is required, and what it means.
RELATED_REQUIRED = {
    EventKind.MERGED_INTO,
    EventKind.RENAMED,
    EventKind.JOINED_BLOC,
    EventKind.LEFT_BLOC,
}


class PartyEvent(models.Model):
    """One dated fact in a party's life. ``related`` is the other end (successor, bloc, origin).

    For FOUNDED, ``related`` optionally names the party it was formed from or split from (K-5:
    Rukhaniyat from the Revival party, the Communist People's Party from the Communist Party).
    """

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind)
    date = models.DateField(_("date"))
    precision = models.CharField(
        _("date precision"), max_length=20, choices=DatePrecision, default=DatePrecision.DAY
    )
    related = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_events",
        verbose_name=_("related party"),
    )
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    inferred = models.BooleanField(
        _("inferred"),
        default=False,
        help_text=_("Not stated by the source but deduced from it; the note quotes the sentence."),
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("party event")
        verbose_name_plural = _("party events")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "date", "related"], name="parties_event_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.party} {self.get_kind_display()}"

    @property
    def interval(self) -> tuple[date | None, date | None]:
        return date_interval(self.date, self.precision)


class MembershipReport(models.Model):
    """A party's membership on a date, as some source reports it."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="memberships")
    date = models.DateField(_("date"))
    members = models.PositiveIntegerField(_("members"))
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["party", "date"]
        verbose_name = _("membership report")
        verbose_name_plural = _("membership reports")
        constraints = [
            models.UniqueConstraint(fields=["party", "date"], name="parties_membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.date}: {self.members}"


class BranchReport(models.Model):
    """A regional branch on a date: open with its members (when known), or closed."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="branches")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["party", "region", "date"]
        verbose_name = _("branch report")
        verbose_name_plural = _("branch reports")
        constraints = [
            models.UniqueConstraint(fields=["party", "region", "date"], name="parties_branch_once")
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.region} {self.date}"


class LawVersion(models.Model):
    """Registration requirements of a law on political parties, in force over a period (K-2)."""

    title = models.CharField(_("title"), max_length=200)
    enacted_on = models.DateField(_("enacted on"))
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    min_members = models.PositiveIntegerField(_("minimum members"))
    branches_in_all_regions = models.BooleanField(
        _("branches in every region and city of republican status"), default=True
    )
    min_branch_members = models.PositiveIntegerField(_("minimum members per branch"), default=0)
    date_precision = models.CharField(
        _("precision of the dates"),
        max_length=20,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How exactly the source dates the law; a month stores its first day."),
    )
    verified = models.BooleanField(
        _("figures verified"),
        default=True,
        help_text=_("Cleared when a figure or date could not be checked against a source."),
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    locals().update(_translations("title", _("title")))
    locals().update(_translations("notes", _("notes"), text=True))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("law version")
        verbose_name_plural = _("law versions")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized_text(self, "title")

    @property
    def display_notes(self) -> str:
        return localized_text(self, "notes")


class TieRuleChoice(models.TextChoices):
    """The tie rules of ``apportionment.TieRule``, with names for people."""

    EARLIER_REGISTRATION = TieRule.EARLIER_REGISTRATION.value, _("The list registered earlier")
    MORE_VOTES = TieRule.MORE_VOTES.value, _("The list with more votes")


class VoteUnit(models.TextChoices):
    COUNT = "count", _("Vote counts")
    PERCENT = "percent", _("Percent of votes cast")


class Election(models.Model):
    """A party-list election: its rules as they were, and results beside the official seats."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    body = models.CharField(_("body"), max_length=120, default="Majilis")
    list_seats = models.PositiveIntegerField(_("seats by party list"))
    threshold = models.DecimalField(
        # xgettext:no-python-format
        _("threshold, % of votes cast"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    method = models.CharField(
        _("allocation method"),
        max_length=20,
        choices=MethodChoice,
        default=MethodChoice.HARE,
    )
    min_parties = models.PositiveSmallIntegerField(
        _("guaranteed number of parties"),
        default=0,
        help_text=_("If fewer lists pass the threshold, the next by votes are admitted."),
    )
    vote_unit = models.CharField(
        _("results given as"), max_length=10, choices=VoteUnit, default=VoteUnit.COUNT
    )
    votes_cast = models.DecimalField(
        _("votes cast"),
        max_digits=22,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Leave empty when every list is entered; then the sum of the lists is used."),
    )
    tie_rule = models.CharField(
        _("tie rule"),
        max_length=30,
        choices=TieRuleChoice,
        default=TieRuleChoice.EARLIER_REGISTRATION,
        help_text=_("Who gets a seat two lists have an equal claim to, as the election law says."),
    )
    registered_voters = models.PositiveBigIntegerField(
        _("registered voters"), null=True, blank=True
    )
    ballots_cast = models.PositiveBigIntegerField(_("voters who took part"), null=True, blank=True)
    valid_votes = models.PositiveBigIntegerField(_("valid votes"), null=True, blank=True)
    turnout = models.DecimalField(
        _("turnout, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("As published; when empty, computed from voters who took part."),
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    locals().update(_translations("name", _("name")))
    locals().update(_translations("notes", _("notes"), text=True))

    class Meta:
        ordering = ["date"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized_text(self, "name")

    @property
    def display_notes(self) -> str:
        return localized_text(self, "notes")

    @property
    def turnout_percent(self) -> Decimal | None:
        """Published turnout, or voters who took part over registered voters."""
        if self.turnout is not None:
            return self.turnout
        if self.ballots_cast and self.registered_voters:
            return (Decimal(self.ballots_cast) * 100 / self.registered_voters).quantize(
                Decimal("0.01")
            )
        return None


class ElectionResult(models.Model):
    """One list's votes and, when published, its official list seats."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(_("list"), max_length=200)
    party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("party"),
    )
    # Up to 10^15 with 6 decimals: what results_csv accepts, so nothing is rounded on import.
    votes = models.DecimalField(
        _("votes"), max_digits=22, decimal_places=6, validators=[MinValueValidator(0)]
    )
    official_seats = models.PositiveIntegerField(_("official seats"), null=True, blank=True)
    registration_order = models.PositiveSmallIntegerField(
        _("list registration order"),
        null=True,
        blank=True,
        help_text=_("1 for the list registered first; decides ties under that rule."),
    )
    verified = models.BooleanField(
        _("figure verified"),
        default=True,
        help_text=_("Cleared when the figure could not be checked against a published result."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["election", "-votes", "name"]
        verbose_name = _("election result")
        verbose_name_plural = _("election results")
        constraints = [
            models.UniqueConstraint(fields=["election", "name"], name="parties_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.election}: {self.name}"
