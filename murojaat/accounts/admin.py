from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import ManyToManyField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import RoleGrant, User

# Django stores a default permission's name in English ("Can add appeal") when it migrates; the
# administrator reads it in the interface language, built from the model's translated name.
PERMISSION_ACTIONS = {
    "add": _("Add: %(name)s"),
    "change": _("Change: %(name)s"),
    "delete": _("Delete: %(name)s"),
    "view": _("View: %(name)s"),
}


def permission_label(permission: Permission) -> str:
    """ "app | model | action" in the interface language; a custom permission keeps its name."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    name = permission.name
    if model_name == opts.model_name and action in PERMISSION_ACTIONS:
        name = str(PERMISSION_ACTIONS[action] % {"name": opts.verbose_name})
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app} | {opts.verbose_name} | {name}"


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


class TranslatedPermissionsMixin:
    """Permission pickers labelled in the administrator's language."""

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.remote_field.model is Permission:
            kwargs["form_class"] = PermissionsField
            kwargs.setdefault("queryset", Permission.objects.select_related("content_type"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "organisation", "position", "is_active"]
    list_filter = ["is_active", "role_grants__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["organisation"]
    inlines = [RoleGrantInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Organisation"),
            {"fields": ("organisation", "position", "phone", "middle_name", "language")},
        ),
    )

    @admin.display(description=_("Full name"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.full_name


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissionsMixin, BaseGroupAdmin):
    pass
