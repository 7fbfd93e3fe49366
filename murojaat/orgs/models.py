"""The ministry's organisation tree (R-P2-1) and Uzbekistan's administrative units.

Every organisation stores a materialised `path` ("000001/000042/...") so that "this organisation
and everything under it" is one indexed prefix query: the confidentiality selector and the
dashboards of organisation heads both ask it on every page.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from murojaat.core.models import NamedModel


class Region(NamedModel):
    """A first-level unit: the Republic of Karakalpakstan, a region (viloyat) or Tashkent city."""

    class Kind(models.TextChoices):
        REPUBLIC = "republic", _("Republic")
        REGION = "region", _("Region")
        CITY = "city", _("City")

    soato = models.CharField(_("SOATO code"), max_length=10, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    centre = models.CharField(_("administrative centre"), max_length=100, blank=True)

    class Meta:
        ordering = ["soato"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(NamedModel):
    """A district (tuman) or a city of regional subordination (shahar)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        CITY = "city", _("City")

    soato = models.CharField(_("SOATO code"), max_length=10, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["soato"]
        verbose_name = _("district or city")
        verbose_name_plural = _("districts and cities")


class OrgKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    WORKING_GROUP = "working_group", _("Working group")
    MAIN_DIRECTORATE = "main_directorate", _("Main directorate")
    INSPECTORATE = "inspectorate", _("Control Inspectorate")
    INSPECTORATE_DIVISION = "inspectorate_division", _("Control Inspectorate regional division")
    CENTRE = "centre", _("Republican centre or clinic")
    REGIONAL_DIRECTORATE = "regional_directorate", _("Regional directorate")
    ASSOCIATION = "association", _("District or city medical association")
    INSTITUTION = "institution", _("Institution")


# The stage of the President's Virtual Reception procedure each kind works at (R-P2-1).
# The Inspectorate and its divisions take the working group's routing like stage-2/3 receivers.
STAGE_OF_KIND: dict[str, int | None] = {
    OrgKind.MINISTRY: None,
    OrgKind.WORKING_GROUP: 1,
    OrgKind.MAIN_DIRECTORATE: 2,
    OrgKind.CENTRE: 2,
    OrgKind.INSPECTORATE: 2,
    OrgKind.INSPECTORATE_DIVISION: 3,
    OrgKind.REGIONAL_DIRECTORATE: 3,
    OrgKind.ASSOCIATION: 4,
    OrgKind.INSTITUTION: None,
}

PATH_STEP = 7  # digits per level: 9,999,999 organisations is headroom for a national tree


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def subtree_of(self, org: Organisation) -> OrganisationQuerySet:
        """The organisation and every organisation below it."""
        return self.filter(pk__in=org.subtree_ids())

    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class Organisation(NamedModel):
    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Stable identifier used by the data files and the API."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices, db_index=True)
    stage = models.PositiveSmallIntegerField(_("stage"), null=True, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("district or city"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    has_virtual_reception_access = models.BooleanField(
        _("works in the Virtual Reception system"), default=False
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    reception_hours = models.CharField(
        _("personal reception hours"), max_length=100, blank=True, default="08:00-11:00"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "region"])]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.stage is None:
            self.stage = STAGE_OF_KIND.get(self.kind)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        expected = self._compute_path()
        if expected != self.path:
            old = self.path
            self.path, self.depth = expected, expected.count("/") - 1
            Organisation.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old:
                self._rebase_descendants(old)
        from .tree import bump_tree_version

        bump_tree_version()

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        from .tree import bump_tree_version

        result = super().delete(*args, **kwargs)  # type: ignore[arg-type]
        bump_tree_version()
        return result

    def subtree_ids(self) -> tuple[int, ...]:
        """This organisation's and its descendants' ids, cached per tree version (orgs.tree):
        `org_id IN (...)` is answered by the assignments' indexes, a path prefix is not."""
        from .tree import subtree_ids

        return subtree_ids(self.path)

    def _compute_path(self) -> str:
        own = f"{self.pk:0{PATH_STEP}d}/"
        if self.parent_id is None:
            return own
        parent_path = Organisation.objects.values_list("path", flat=True).get(pk=self.parent_id)
        return parent_path + own

    def _rebase_descendants(self, old: str) -> None:
        """Moving an organisation moves its subtree: rewrite the descendants' path prefixes."""
        for child in Organisation.objects.filter(path__startswith=old).exclude(pk=self.pk):
            child.path = self.path + child.path[len(old) :]
            child.depth = child.path.count("/") - 1
            Organisation.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def is_within(self, other: Organisation) -> bool:
        """True when self is other or lies below it."""
        return self.path.startswith(other.path)

    def ancestors(self) -> OrganisationQuerySet:
        prefixes = [self.path[: i + PATH_STEP + 1] for i in range(0, len(self.path), PATH_STEP + 1)]
        return Organisation.objects.filter(path__in=prefixes).exclude(pk=self.pk)
