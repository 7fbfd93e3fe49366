"""Every write of the working group's assistants: flags, suggestions, duplicates, surges, models.

The assistants never decide alone: they flag, suggest and group, each with its reason, and
record what the group then decided. Intake calls `assess_at_intake` inside its transaction (in
a savepoint, so a failure here never fails a registration, L-2) and the duplicate search runs
after commit in a background task; the group's decisions come back through the appeal's events
(`receivers.event_recorded`) or through the assistant's own forms.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.appeals import services as appeal_services
from murojaat.appeals.deadlines import TASHKENT, local_date
from murojaat.appeals.models import (
    FINAL_APPEAL_STATES,
    Appeal,
    AppealState,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Event,
    EventKind,
)
from murojaat.appeals.permissions import is_working_group
from murojaat.appeals.selectors.authors import same_author, same_author_q
from murojaat.appeals.services.targets import routable_orgs
from murojaat.core.errors import DomainError, PermissionDenied
from murojaat.orgs.models import Organisation, OrgKind

from . import learn, triage
from .models import (
    Campaign,
    CampaignMember,
    CandidateState,
    DuplicateCandidate,
    FlagState,
    RoutingModel,
    Suggestion,
    Surge,
    UrgentFlag,
)
from .surges import SurgeRule, weekly_rule

log = logging.getLogger("murojaat.assist")

TRIAGE_DECISIONS_CACHE = "assist:triage-decisions"


def alerts_changed() -> None:
    """A finding was added or decided: the alert banner's cached counts are stale (now and,
    for readers inside this transaction's lifetime, again after commit)."""
    from .selectors import ALERTS_CACHE

    cache.delete(ALERTS_CACHE)
    transaction.on_commit(lambda: cache.delete(ALERTS_CACHE))


def _require_wg(actor: User) -> None:
    if not is_working_group(actor):
        raise PermissionDenied(_("Only the working group decides on the assistant's findings."))


# --- urgent triage -------------------------------------------------------------------------------


def _decisions(cached: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {k: tuple(v) for k, v in cached.items()}


def triage_decisions() -> dict[str, tuple[int, int]]:
    """(confirmed, cleared) per triage rule, from the group's decisions on earlier flags."""
    cached = cache.get(TRIAGE_DECISIONS_CACHE)
    if cached is not None:
        return _decisions(cached)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    decided = UrgentFlag.objects.filter(
        by_triage=True, state__in=[FlagState.CONFIRMED, FlagState.CLEARED]
    ).values_list("rules", "state")
    for rules, state in decided.iterator():
        for rule in rules or []:
            counts[rule][0 if state == FlagState.CONFIRMED else 1] += 1
    result = {k: (v[0], v[1]) for k, v in counts.items()}
    cache.set(TRIAGE_DECISIONS_CACHE, result, 3600)
    return result


def route_by(appeal: Appeal) -> datetime:
    """The same-day clock (R-P2-2): the end of the working day the appeal is registered on."""
    return datetime.combine(appeal.due_start, appeal.procedure.working_day_ends, tzinfo=TASHKENT)


def flag_if_urgent(appeal: Appeal) -> UrgentFlag | None:
    """Triage the appeal's text; flag it, with the words that fired, when it is urgent."""
    result = triage.triage(appeal.text, triage_decisions())
    if not result.urgent:
        return None
    flag, created = UrgentFlag.objects.get_or_create(
        appeal=appeal,
        defaults={
            "flagged_at": timezone.now(),
            "score": result.score,
            "rules": result.rules,
            "words": result.words,
            "sentences": [h.sentence for h in result.hits][:5],
            "route_by": route_by(appeal),
        },
    )
    if created:
        alerts_changed()
        event = Event.objects.create(
            appeal=appeal,
            kind=EventKind.URGENT_FLAGGED,
            at=flag.flagged_at,
            data={
                "rules": flag.rules,
                "words": flag.words,
                "score": flag.score,
                "route_by": flag.route_by.isoformat(),
            },
        )
        from murojaat.notifications.services import notify_event

        notify_event(event)  # the working group hears of it at once, in this transaction
    return flag


def assess_at_intake(appeal: Appeal) -> None:
    """Intake's one call: triage now (the flag orders the queue at once), duplicates after
    commit (a similarity search over open appeals is too slow for the registering clerk).

    Never raises: a registration is never refused (L-2), whatever the assistants do.
    """
    try:
        # Most appeals are not urgent: judged on the cached decisions (no SQL), they need no
        # savepoint. Whatever may write or read the database runs inside one, so its failure
        # never aborts the registration's transaction.
        decisions = cache.get(TRIAGE_DECISIONS_CACHE)
        if decisions is None or triage.triage(appeal.text, _decisions(decisions)).urgent:
            with transaction.atomic():
                flag_if_urgent(appeal)
    except Exception:
        log.exception("urgent triage failed", extra={"appeal": appeal.pk})
    try:
        from .tasks import find_duplicates

        pk = appeal.pk
        transaction.on_commit(lambda: _run_safely(find_duplicates.delay, pk))
    except Exception:
        log.exception("duplicate search not scheduled", extra={"appeal": appeal.pk})


def _run_safely(func: Any, *args: Any) -> None:
    try:
        func(*args)
    except Exception:
        log.exception("assistant task failed to start")


@transaction.atomic
def decide_flag(*, actor: User, flag: UrgentFlag, urgent: bool, comment: str = "") -> UrgentFlag:
    """The group confirms or clears a flag; recorded on the appeal and learned from."""
    _require_wg(actor)
    flag = UrgentFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.state != FlagState.OPEN:
        raise DomainError(
            _("This flag was already decided by %(name)s.")
            % {"name": flag.decided_by.full_name if flag.decided_by else "—"},
            code="flag_decided",
        )
    flag.state = FlagState.CONFIRMED if urgent else FlagState.CLEARED
    flag.decided_by = actor
    flag.decided_at = timezone.now()
    flag.decision_comment = comment.strip()
    flag.save(update_fields=["state", "decided_by", "decided_at", "decision_comment"])
    Event.objects.create(
        appeal_id=flag.appeal_id,
        kind=EventKind.URGENT_DECIDED,
        at=flag.decided_at,
        actor=actor,
        actor_org=actor.organisation,
        comment=flag.decision_comment,
        data={"urgent": urgent, "rules": flag.rules},
    )
    # Now and after commit: a reader between the two re-reads the database at worst.
    alerts_changed()
    cache.delete(TRIAGE_DECISIONS_CACHE)
    transaction.on_commit(lambda: cache.delete(TRIAGE_DECISIONS_CACHE))
    return flag


@transaction.atomic
def mark_urgent(*, actor: User, appeal: Appeal, comment: str = "") -> UrgentFlag:
    """The group marks urgent an appeal triage missed: recorded, and counted against recall."""
    _require_wg(actor)
    if appeal.state in FINAL_APPEAL_STATES:
        raise DomainError(_("The appeal is no longer in work."), code="appeal_finished")
    now = timezone.now()
    flag, created = UrgentFlag.objects.get_or_create(
        appeal=appeal,
        defaults={
            "flagged_at": now,
            "by_triage": False,
            "route_by": max(route_by(appeal), now),
            "state": FlagState.CONFIRMED,
            "decided_by": actor,
            "decided_at": now,
            "decision_comment": comment.strip(),
        },
    )
    if not created:
        return decide_flag(actor=actor, flag=flag, urgent=True, comment=comment)
    alerts_changed()
    Event.objects.create(
        appeal=appeal,
        kind=EventKind.URGENT_DECIDED,
        at=now,
        actor=actor,
        actor_org=actor.organisation,
        comment=flag.decision_comment,
        data={"urgent": True, "by_hand": True},
    )
    return flag


# --- routing suggestions -------------------------------------------------------------------------

MIN_HISTORY = 30
HELD_OUT_SHARE = 0.2
MAX_HISTORY = 50_000
_loaded: dict[tuple[int, str], learn.RoutingModel] = {}


def routing_history() -> list[tuple[learn.Record, str]]:
    """The group's own first-receiver decisions, oldest first: top-level lead assignments the
    working group sent, except those the receiver returned (a returned routing was a mistake)
    and those the group recalled."""
    rows = (
        Assignment.objects.filter(
            parent__isnull=True,
            role=AssignmentRole.EXECUTOR,
            sender_org__kind=OrgKind.WORKING_GROUP,
        )
        .exclude(state__in=[AssignmentState.RETURNED, AssignmentState.CANCELLED])
        .select_related("appeal__author_region", "org")
        .prefetch_related("appeal__topics")
        .order_by("-sent_at", "-pk")[:MAX_HISTORY]
    )
    out = [(record_of(a.appeal), a.org.code) for a in rows]
    out.reverse()
    return out


def record_of(appeal: Appeal) -> learn.Record:
    return learn.Record(
        text=appeal.text,
        topics=tuple(sorted(t.code for t in appeal.topics.all())),
        region=appeal.author_region.soato if appeal.author_region_id else "",
        kind=appeal.kind,
        ref=appeal.pk,
    )


def retrain_routing() -> RoutingModel | None:
    """Learn the group's decisions: measure on the latest fifth (held out), then fit on all.

    Returns None while there is too little history (the rules suggest meanwhile).
    """
    history = routing_history()
    labels = [label for _r, label in history]
    if len(history) < MIN_HISTORY or len(set(labels)) < 2:
        log.info("routing model not trained: %s decisions", len(history))
        return None
    records = [r for r, _l in history]
    cut = int(len(history) * (1 - HELD_OUT_SHARE))
    figures = learn.evaluate_routing(records[:cut], labels[:cut], records[cut:], labels[cut:])
    model = learn.train(records, labels)
    content = model.dumps()
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        last = RoutingModel.objects.select_for_update().order_by("-version").first()
        version = (last.version if last else 0) + 1
        name = default_storage.save(
            f"assist/models/routing-v{version}-{digest[:12]}.joblib", ContentFile(content)
        )
        row = RoutingModel.objects.create(
            version=version,
            file=name,
            sha256=digest,
            samples=len(history),
            receivers=len(set(labels)),
            held_out=len(history) - cut,
            top1=figures.model.top1,
            top3=figures.model.top3,
            baseline_top1=figures.most_frequent.top1,
            rule_top1=figures.topic_rule.top1,
        )
        RoutingModel.objects.exclude(pk=row.pk).update(is_active=False)
    log.info("routing model v%s trained on %s decisions", version, len(history))
    return row


def active_model() -> tuple[RoutingModel, learn.RoutingModel] | None:
    row = RoutingModel.objects.filter(is_active=True).order_by("-version").first()
    if row is None:
        return None
    key = (row.version, row.sha256)
    if key not in _loaded:
        try:
            with default_storage.open(row.file.name, "rb") as fh:
                content = fh.read()
        except OSError:
            log.exception("routing model file missing", extra={"version": row.version})
            return None
        if hashlib.sha256(content).hexdigest() != row.sha256:
            log.error("routing model file does not match its digest", extra={"v": row.version})
            return None
        _loaded.clear()
        _loaded[key] = learn.RoutingModel.loads(content)
    return row, _loaded[key]


@dataclass
class Shown:
    """One suggested receiver as the route form shows it."""

    org: Organisation
    confidence: float
    reasons: list[str]
    rank: int
    by_rule: bool = False  # no learned probability: the rules' order, not a confidence


def _reason_texts(
    reasons: list[dict[str, Any]], visible_numbers: dict[int, str], row: RoutingModel | None
) -> list[str]:
    from murojaat.appeals.models import Topic
    from murojaat.orgs.models import Region

    texts = []
    for reason in reasons:
        kind = reason["kind"]
        if kind == "model" and row is not None:
            texts.append(
                _(
                    "Learned from the group's past decisions: %(p)s%% likely (model v%(v)s, "
                    "right first time in %(top1)s%% of held-out decisions)."
                )
                % {
                    "p": round(reason["probability"] * 100),
                    "v": row.version,
                    "top1": round((row.top1 or 0) * 100),
                }
            )
        elif kind == "similar":
            numbers = [
                visible_numbers[s["ref"]] for s in reason["appeals"] if s["ref"] in visible_numbers
            ]
            count = len(reason["appeals"])
            text = _("%(n)s of the %(of)s most similar past appeals went here") % {
                "n": count,
                "of": reason["of"],
            }
            texts.append(f"{text}: {', '.join(numbers)}." if numbers else f"{text}.")
        elif kind == "topic":
            topic = Topic.objects.filter(code=reason["topic"]).first()
            texts.append(
                _("Topic “%(topic)s” is studied here.")
                % {"topic": topic.name if topic else reason["topic"]}
            )
        elif kind == "region":
            region = Region.objects.filter(soato=reason["region"]).first()
            texts.append(
                _("The author lives in %(region)s: its regional directorate.")
                % {"region": region.name if region else reason["region"]}
            )
    return texts


def suggest_receivers(
    *, user: User, appeal: Appeal, log_it: bool = True, k: int = 3
) -> list[Shown]:
    """The three most likely first receivers with a confidence and the reasons, logged.

    A suggestion never reveals an appeal the user may not open: "similar past appeals" lists
    only the numbers `appeals_visible_to(user)` returns.
    """
    from murojaat.appeals.selectors import appeals_visible_to

    record = record_of(appeal)
    rules = learn.rule_candidates(record)
    loaded = active_model()
    row = loaded[0] if loaded else None
    if loaded:
        candidates = learn.blend(loaded[1].suggest(record, k=k + 2), rules, k=k + 2)
    else:
        candidates = rules
    # R-P2-2 and L-4 from their one home: only where the group may route this appeal.
    orgs = {
        o.code: o for o in routable_orgs(appeal).filter(code__in=[c.receiver for c in candidates])
    }
    usable = [c for c in candidates if c.receiver in orgs][:k]
    refs = {
        s["ref"]
        for c in usable
        for reason in c.reasons
        if reason["kind"] == "similar"
        for s in reason["appeals"]
    }
    visible = dict(
        appeals_visible_to(user).filter(pk__in=refs).values_list("pk", "number") if refs else []
    )
    shown = [
        Shown(
            org=orgs[c.receiver],
            confidence=c.confidence,
            reasons=_reason_texts(c.reasons, visible, row),
            rank=i + 1,
            by_rule=not any(r["kind"] == "model" for r in c.reasons),
        )
        for i, c in enumerate(usable)
    ]
    if log_it and shown and appeal.state == AppealState.NEW:
        _log_suggestion(appeal, row, usable, orgs)
    return shown


def _log_suggestion(
    appeal: Appeal, row: RoutingModel | None, usable: list[learn.Candidate], orgs: dict
) -> None:
    items = [
        {"org": orgs[c.receiver].pk, "confidence": c.confidence, "reasons": c.reasons}
        for c in usable
    ]
    last = Suggestion.objects.filter(appeal=appeal, decided_at__isnull=True).first()
    if last is not None and last.items == items and last.model_id == (row.pk if row else None):
        return  # the same suggestion shown again: one row, not one per page view
    Suggestion.objects.create(appeal=appeal, model=row, items=items)


def record_routing_decision(event: Event) -> None:
    """The group routed the appeal: the open suggestion learns which receiver it chose."""
    suggestion = (
        Suggestion.objects.filter(appeal_id=event.appeal_id, decided_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if suggestion is None or event.target_org_id is None:
        return
    ranks = [item["org"] for item in suggestion.items]
    suggestion.decided_org_id = event.target_org_id
    suggestion.decided_rank = (
        ranks.index(event.target_org_id) + 1 if event.target_org_id in ranks else 0
    )
    suggestion.decided_at = event.at
    suggestion.decided_by_id = event.actor_id
    suggestion.save(update_fields=["decided_org", "decided_rank", "decided_at", "decided_by"])


# --- duplicates and campaigns --------------------------------------------------------------------

DUPLICATE_WINDOW_DAYS = 90
MAX_CANDIDATES = 1000
MAX_SHOWN = 5
CAMPAIGN_MIN_LETTERS = 3


def _author_q(appeal: Appeal) -> Q:
    """L-6's author match as a query (`selectors.authors`: the normalised keys)."""
    return same_author_q(appeal) or Q(pk__in=[])


def open_candidates(appeal: Appeal) -> list[Appeal]:
    """Open appeals that could be the same letter: the same author's, or from the same region
    (or without one) in the last 90 days; newest first, bounded."""
    since = appeal.received_at - timedelta(days=DUPLICATE_WINDOW_DAYS)
    qs = (
        Appeal.objects.exclude(pk=appeal.pk)
        .exclude(state__in=FINAL_APPEAL_STATES)
        .filter(received_at__gte=since, received_at__lte=appeal.received_at)
    )
    if appeal.author_region_id is not None:
        place = Q(author_region__isnull=True) | Q(author_region_id=appeal.author_region_id)
        qs = qs.filter(_author_q(appeal) | place)
    fields = (
        "pk", "number", "state", "text", "received_at", "author_region_id", "author_phone_key",
        "author_email_key", "author_name_key", "signatories",
    )  # fmt: skip
    return list(qs.only(*fields).order_by("-received_at")[:MAX_CANDIDATES])


VECTOR_CACHE_SECONDS = (DUPLICATE_WINDOW_DAYS + 1) * 24 * 3600


def _vectors(appeals: list[Appeal]) -> Any:
    """The letters' hashed n-gram vectors, from the shared cache where computed before (an
    appeal's text does not change after registration), so an intake costs one new vector."""
    from scipy.sparse import vstack

    keys = [f"assist:vec1:{a.pk}" for a in appeals]
    cached = cache.get_many(keys)
    missing = [i for i, key in enumerate(keys) if key not in cached]
    if missing:
        fresh = learn.vectorize([appeals[i].text for i in missing])
        new = {keys[i]: fresh[row] for row, i in enumerate(missing)}
        cache.set_many(new, VECTOR_CACHE_SECONDS)
        cached.update(new)
    return vstack([cached[key] for key in keys]).tocsr()


def find_duplicates(appeal: Appeal) -> list[DuplicateCandidate]:
    """L-6: the open appeals this one repeats; many different authors make a campaign."""
    if appeal.state in FINAL_APPEAL_STATES:
        return []
    pool = open_candidates(appeal)
    if not pool:
        return []
    vectors = _vectors([appeal, *pool])
    sims = (vectors[1:] @ vectors[0].T).toarray().ravel()
    found: list[tuple[Appeal, float, bool]] = []
    for other, sim in zip(pool, sims, strict=True):
        same = same_author(appeal, other)
        same_region = (
            appeal.author_region_id is None
            or other.author_region_id is None
            or appeal.author_region_id == other.author_region_id
        )
        if learn.is_duplicate(float(sim), same, same_region):
            found.append((other, float(sim), same))
    found.sort(key=lambda f: -f[1])
    created = []
    with transaction.atomic():
        for other, sim, same in found[:MAX_SHOWN]:
            candidate, new = DuplicateCandidate.objects.get_or_create(
                appeal=appeal,
                original=other,
                defaults={"similarity": round(sim, 3), "same_author": same},
            )
            if new:
                created.append(candidate)
        if created:
            alerts_changed()
            Event.objects.create(
                appeal=appeal,
                kind=EventKind.DUPLICATE_SUSPECTED,
                at=timezone.now(),
                data={
                    "originals": [c.original.number for c in created],
                    "similarity": [c.similarity for c in created],
                },
            )
        others = [(o, s) for o, s, same in found if not same]
        if len(others) + 1 >= CAMPAIGN_MIN_LETTERS:
            _join_campaign(appeal, others)
    return created


def _join_campaign(appeal: Appeal, others: list[tuple[Appeal, float]]) -> Campaign:
    existing = (
        CampaignMember.objects.filter(appeal__in=[o for o, _s in others])
        .select_related("campaign")
        .first()
    )
    if existing is not None:
        campaign = existing.campaign
    else:
        lead = min((o for o, _s in others), key=lambda a: (a.received_at, a.pk))
        campaign = Campaign.objects.create(lead=lead)
    letters = [(appeal, 1.0), *others]
    members = set(
        CampaignMember.objects.filter(appeal__in=[a for a, _s in letters]).values_list(
            "appeal_id", flat=True
        )
    )
    CampaignMember.objects.bulk_create(
        [
            CampaignMember(campaign=campaign, appeal=a, similarity=round(sim, 3))
            for a, sim in letters
            if a.pk not in members
        ],
        ignore_conflicts=True,
    )
    return campaign


def merge_candidate(*, actor: User, candidate: DuplicateCandidate) -> Appeal:
    """One click: merge the new appeal into the open original (L-6) through the appeals
    engine's own merge, which checks the table, closes the duplicate and records both events."""
    _require_wg(actor)
    if candidate.state != CandidateState.OPEN:
        raise DomainError(_("This pair was already decided."), code="candidate_decided")
    appeal = appeal_services.merge_duplicate(
        actor=actor, appeal=candidate.appeal, into=candidate.original
    )
    _decide_candidate(candidate, CandidateState.MERGED, actor)
    return appeal


def dismiss_candidate(*, actor: User, candidate: DuplicateCandidate) -> DuplicateCandidate:
    _require_wg(actor)
    if candidate.state != CandidateState.OPEN:
        raise DomainError(_("This pair was already decided."), code="candidate_decided")
    _decide_candidate(candidate, CandidateState.DISMISSED, actor)
    return candidate


def _decide_candidate(candidate: DuplicateCandidate, state: str, actor: User | None) -> None:
    DuplicateCandidate.objects.filter(pk=candidate.pk, state=CandidateState.OPEN).update(
        state=state, decided_by=actor, decided_at=timezone.now()
    )
    alerts_changed()
    candidate.refresh_from_db()


def record_merge(event: Event) -> None:
    """An appeal was merged (here or by the case page's form): its open pairs are decided."""
    merged = DuplicateCandidate.objects.filter(appeal_id=event.appeal_id, state=CandidateState.OPEN)
    if not merged.exists():
        return
    alerts_changed()
    into = event.data.get("into")
    merged.filter(original__number=into).update(
        state=CandidateState.MERGED, decided_by=event.actor, decided_at=event.at
    )
    merged.exclude(original__number=into).update(
        state=CandidateState.DISMISSED, decided_by=event.actor, decided_at=event.at
    )


@dataclass
class MergeResult:
    merged: list[str]
    refused: list[tuple[str, str]]


def merge_campaign(*, actor: User, campaign: Campaign) -> MergeResult:
    """Answer a campaign once: every open letter is merged into the lead (L-6), one by one,
    each in its own transaction, so one refusal (a letter already in work) stops nothing."""
    _require_wg(actor)
    lead = campaign.lead
    result = MergeResult([], [])
    members = campaign.members.exclude(appeal=lead).select_related("appeal")
    for member in members:
        letter = member.appeal
        if letter.state != AppealState.NEW:
            continue
        try:
            appeal_services.merge_duplicate(actor=actor, appeal=letter, into=lead)
        except DomainError as exc:
            result.refused.append((letter.number, str(exc)))
        else:
            result.merged.append(letter.number)
    return result


# --- surges --------------------------------------------------------------------------------------

HISTORY_WEEKS = 8


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def detect_surges(today: date | None = None) -> list[Surge]:
    """Count this week's appeals by topic and district and compare each count with the same
    pair's previous eight weeks (`surges.weekly_rule`); record each surge once per week."""
    today = today or local_date(timezone.now())
    current = week_start(today)
    first = current - timedelta(weeks=HISTORY_WEEKS)
    start = datetime.combine(first, datetime.min.time(), tzinfo=TASHKENT)
    rows = (
        Appeal.objects.filter(received_at__gte=start, author_district__isnull=False)
        .annotate(day=TruncDate("received_at", tzinfo=TASHKENT))
        .values("topics", "author_district", "day")
        .annotate(n=Count("pk", distinct=True))
    )
    weekly: dict[tuple[int, int], Counter[date]] = defaultdict(Counter)
    for row in rows:
        if row["topics"] is None:
            continue
        weekly[(row["topics"], row["author_district"])][week_start(row["day"])] += row["n"]
    found = []
    for (topic_id, district_id), counts in weekly.items():
        count = counts.get(current, 0)
        history = [counts.get(first + timedelta(weeks=w), 0) for w in range(HISTORY_WEEKS)]
        verdict: SurgeRule = weekly_rule(count, history)
        if not verdict.surge:
            continue
        surge, _created = Surge.objects.update_or_create(
            week_start=current,
            topic_id=topic_id,
            district_id=district_id,
            defaults={
                "count": count,
                "history_weeks": HISTORY_WEEKS,
                "mean": verdict.mean,
                "history_max": max(history),
                "threshold": verdict.threshold,
            },
        )
        found.append(surge)
    if found:
        alerts_changed()
    return found


@transaction.atomic
def acknowledge_surge(*, actor: User, surge: Surge) -> Surge:
    _require_wg(actor)
    Surge.objects.filter(pk=surge.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=actor, acknowledged_at=timezone.now()
    )
    alerts_changed()
    surge.refresh_from_db()
    return surge


__all__ = [
    "acknowledge_surge",
    "assess_at_intake",
    "decide_flag",
    "detect_surges",
    "dismiss_candidate",
    "find_duplicates",
    "flag_if_urgent",
    "mark_urgent",
    "merge_campaign",
    "merge_candidate",
    "retrain_routing",
    "suggest_receivers",
]
