"""External systems (the Virtual Reception) and the transactional outbox to them.

An OutboxMessage is written in the same transaction as the change it reports, so a crash
between commit and delivery loses nothing; its `key` is unique, so a retry never duplicates.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """An external system. Its shared secret is not stored: it is derived from the key id, the
    secret's generation and settings.MUROJAAT_API_SIGNING_KEY (gateway.credentials), so a copy
    of the database alone cannot sign a request or a callback. Only a fingerprint is kept, to
    tell which secret is current; rotating moves to the next generation."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    secret_generation = models.PositiveIntegerField(_("secret generation"), default=1)
    secret_fingerprint = models.CharField(
        _("secret fingerprint"), max_length=16, blank=True, editable=False
    )
    channel = models.CharField(_("channel"), max_length=32)
    callback_url = models.URLField(_("callback URL"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .credentials import fingerprint

        self.secret_fingerprint = fingerprint(self.secret)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "secret_fingerprint"}
        super().save(*args, **kwargs)

    @property
    def secret(self) -> str:
        """The shared secret, derived on the server each time it signs or verifies; shown to
        people only when it is created or rotated."""
        from .credentials import derive_secret

        return derive_secret(self.key_id, self.secret_generation)


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="outbox")
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="outbox")
    kind = models.CharField(_("kind"), max_length=32)
    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    payload = models.JSONField(default=dict)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=OutboxState.choices,
        default=OutboxState.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"


class AppealIntake(models.Model):
    """What an API client sent to create an appeal, kept to tell a retry from a clash.

    The same external_id with the same body is a retry (200, the same appeal); with another
    body it is a mistake on the client's side (409), never silently the first appeal.
    """

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="gateway_intake"
    )
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="intakes")
    body_sha256 = models.CharField(_("SHA-256 of the request"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appeal intake")
        verbose_name_plural = _("appeal intakes")

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.body_sha256[:12]}"
