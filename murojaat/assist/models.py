"""What the working group's assistants remember: models, suggestions, flags, duplicates, surges.

Every suggestion and every flag is a row that also records what the group then decided, so
each can say why it was made and the assistants can be measured on the group's own decisions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoutingModel(models.Model):
    """A trained routing model: its file in the default storage, its version and its figures."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)
    file = models.FileField(upload_to="assist/models/", max_length=255)
    sha256 = models.CharField(max_length=64)
    samples = models.PositiveIntegerField(_("routing decisions learned from"))
    receivers = models.PositiveIntegerField(_("receivers"))
    held_out = models.PositiveIntegerField(_("decisions held out for measuring"), default=0)
    top1 = models.FloatField(_("top-1 accuracy"), null=True, blank=True)
    top3 = models.FloatField(_("top-3 accuracy"), null=True, blank=True)
    baseline_top1 = models.FloatField(_("most frequent receiver, top-1"), null=True, blank=True)
    rule_top1 = models.FloatField(_("topic/region rule, top-1"), null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")

    def __str__(self) -> str:
        return f"v{self.version}"


class Suggestion(models.Model):
    """The receivers suggested for an appeal, as shown, and the receiver the group chose."""

    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="routing_suggestions"
    )
    model = models.ForeignKey(
        RoutingModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # [{"org": pk, "confidence": 0.62, "reasons": [...]}], best first, as shown.
    items = models.JSONField(default=list)
    decided_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # 1-3 when the group chose a suggested receiver, 0 when it chose another one.
    decided_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("routing suggestion")
        verbose_name_plural = _("routing suggestions")
        indexes = [models.Index(fields=["appeal", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {[i['org'] for i in self.items]}"


class FlagState(models.TextChoices):
    OPEN = "open", _("Awaiting the working group")
    CONFIRMED = "confirmed", _("Confirmed as urgent")
    CLEARED = "cleared", _("Cleared: not urgent")


class UrgentFlag(models.Model):
    """Triage's flag on an appeal: why (rules, words), the same-day clock, the group's decision.

    An appeal the group marks urgent itself (triage missed it) has no rules: recorded for recall.
    """

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="urgent_flag"
    )
    flagged_at = models.DateTimeField(_("flagged"))
    by_triage = models.BooleanField(default=True)
    score = models.FloatField(_("score"), default=0.0)
    rules = models.JSONField(default=list)
    words = models.JSONField(default=list)
    sentences = models.JSONField(default=list)
    route_by = models.DateTimeField(_("route by"))
    state = models.CharField(
        max_length=16, choices=FlagState.choices, default=FlagState.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["route_by", "pk"]
        verbose_name = _("urgent flag")
        verbose_name_plural = _("urgent flags")

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.get_state_display()}"

    @property
    def is_urgent(self) -> bool:
        return self.state != FlagState.CLEARED


class CandidateState(models.TextChoices):
    OPEN = "open", _("Awaiting the working group")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not a duplicate")


class DuplicateCandidate(models.Model):
    """An appeal found similar, at its intake, to an earlier appeal still open (L-6)."""

    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="duplicate_candidates"
    )
    original = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="+", verbose_name=_("original")
    )
    similarity = models.FloatField()
    same_author = models.BooleanField(default=False)
    found_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=16, choices=CandidateState.choices, default=CandidateState.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-similarity", "pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "original"], name="one_candidate_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}~{self.original_id} ({self.similarity:.2f})"


class Campaign(models.Model):
    """Many near-identical letters from different authors: one case, counted honestly."""

    lead = models.ForeignKey(
        "appeals.Appeal", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead appeal")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    appeals = models.ManyToManyField(
        "appeals.Appeal", through="CampaignMember", related_name="campaigns"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return f"campaign {self.pk} ({self.lead_id})"


class CampaignMember(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="campaign_membership"
    )
    similarity = models.FloatField(default=1.0)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("campaign letter")
        verbose_name_plural = _("campaign letters")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.appeal_id}"


class Surge(models.Model):
    """A week whose count of appeals on a topic in a district is far above its own history."""

    week_start = models.DateField(_("week starting"))
    topic = models.ForeignKey(
        "appeals.Topic", on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    district = models.ForeignKey(
        "orgs.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    count = models.PositiveIntegerField(_("appeals this week"))
    history_weeks = models.PositiveSmallIntegerField(_("weeks compared"))
    mean = models.FloatField(_("weekly mean before"))
    history_max = models.PositiveIntegerField(_("highest week before"))
    threshold = models.FloatField(_("threshold"))
    detected_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week_start", "-count"]
        verbose_name = _("surge")
        verbose_name_plural = _("surges")
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "topic", "district"], name="one_surge_per_week_topic_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.week_start} {self.topic_id}/{self.district_id}: {self.count}"
