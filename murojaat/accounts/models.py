"""Staff, their organisation and their roles.

A role is held in an organisation. Two roles are unique per organisation by the order: the
responsible officer for virtual-reception appeals (R-ORG-4) and the first head who signs
(R-P2-9); the database enforces that with partial unique constraints. A ministry has several
deputy ministers; each signs the answers of the main directorates they supervise (R-P2-9).
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WG_MEMBER = "wg_member", _("Working-group member")
    WG_HEAD = "wg_head", _("Working-group head")
    EXECUTOR = "executor", _("Executor")
    HEAD = "head", _("Organisation head (signer)")
    DEPUTY_MINISTER = "deputy_minister", _("Deputy minister (signs main directorates' answers)")
    RESPONSIBLE = "responsible", _("Responsible officer")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


UNIQUE_PER_ORG = (Role.RESPONSIBLE, Role.HEAD)

WG_ROLES = (Role.WG_MEMBER, Role.WG_HEAD)
# Who registers appeals by hand at a door (L-2): the working group, and every organisation's
# officer responsible for appeals (R-ORG-4). Roles are the accounts' vocabulary, so the menu
# (core) and the registration pages (appeals.permissions.can_register_appeals) share this.
REGISTRAR_ROLES = (*WG_ROLES, Role.RESPONSIBLE)


class User(AbstractUser):
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("work phone"), max_length=64, blank=True)
    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    language = models.CharField(_("interface language"), max_length=10, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles)) or (Role.ADMIN in roles and self.is_superuser)

    @property
    def in_working_group(self) -> bool:
        return self.has_role(Role.WG_MEMBER, Role.WG_HEAD)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p) or (
            self.username
        )

    def __str__(self) -> str:
        return self.full_name


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("organisation"),
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    # R-P2-9: the main directorates a deputy minister supervises, whose answers they sign. A main
    # directorate no deputy supervises may be signed by any deputy minister.
    supervises = models.ManyToManyField(
        "orgs.Organisation",
        blank=True,
        related_name="supervising_grants",
        limit_choices_to={"kind": "main_directorate"},
        verbose_name=_("supervised main directorates"),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user"),
            models.UniqueConstraint(
                fields=["organisation", "role"],
                condition=models.Q(role__in=[r.value for r in UNIQUE_PER_ORG]),
                name="one_responsible_and_one_head_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
