"""The administrator role and Django's staff flag move together.

The Django admin lets in only `is_staff` users, while the interface offers administration to
holders of the administrator role. Granting the role sets the flag and revoking it clears the
flag (unless the person is a superuser), so the role is the one thing an administrator grants.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Role, RoleGrant, User


def sync_staff_flag(user: User) -> None:
    """Set is_staff from the administrator role; superusers keep it."""
    wanted = user.is_superuser or user.role_grants.filter(role=Role.ADMIN).exists()
    if user.is_staff != wanted:
        User.objects.filter(pk=user.pk).update(is_staff=wanted)
        user.is_staff = wanted
    user.__dict__.pop("roles", None)  # the cached role set is stale now


@receiver(post_save, sender=RoleGrant)
def _role_granted(sender: type[RoleGrant], instance: RoleGrant, **kwargs: Any) -> None:
    if instance.role == Role.ADMIN:
        sync_staff_flag(instance.user)


@receiver(post_delete, sender=RoleGrant)
def _role_revoked(sender: type[RoleGrant], instance: RoleGrant, **kwargs: Any) -> None:
    if instance.role == Role.ADMIN:
        user = User.objects.filter(pk=instance.user_id).first()
        if user is not None:  # the user may be being deleted with their grants
            sync_staff_flag(user)
