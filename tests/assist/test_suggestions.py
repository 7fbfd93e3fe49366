"""Issue 14 §1, §6: routing suggestions from rules on day one, then from the group's decisions."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services as appeal_services
from murojaat.appeals.models import Assignment
from murojaat.assist import services
from murojaat.assist.models import RoutingModel, Suggestion
from murojaat.assist.tasks import retrain_routing
from tests.appeals.helpers import register
from tests.factories import Ministry

CARDIO = "Otamga yurak jarrohligi uchun kardiologiya markazida kvota navbati olti oy, stent kerak."
CARDIO_RU = "Отцу нужна операция на сердце, очередь на квоту в кардиологическом центре полгода."
AMBULANCE = "Tuman poliklinikasida navbat juda uzun, shifokorlar kam, kechqurun qabul yoʻq."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_on_day_one_the_rules_suggest_the_region_and_the_topic_s_directorate(
    ministry: Ministry,
) -> None:
    appeal = register(author_region_id=ministry.region_a.pk, topics=("quality-of-care",))
    assert not RoutingModel.objects.exists()
    shown = services.suggest_receivers(user=ministry.wg_member, appeal=appeal)
    assert [s.org for s in shown] == [ministry.regional_a, ministry.main_directorate]
    assert "regional directorate" in shown[0].reasons[0]
    assert "Quality of medical care" in shown[1].reasons[0]


def test_a_ministry_level_topic_goes_to_its_directorate_whatever_the_region_r_p2_4(
    ministry: Ministry,
) -> None:
    appeal = register(author_region_id=ministry.region_a.pk, topics=("treatment-abroad",))
    shown = services.suggest_receivers(user=ministry.wg_member, appeal=appeal)
    assert shown[0].org == ministry.main_directorate


def test_the_body_complained_about_is_never_suggested_l_4(ministry: Ministry) -> None:
    appeal = register(author_region_id=ministry.region_a.pk, kind="complaint")
    appeal.complaint_against = ministry.regional_a
    appeal.save(update_fields=["complaint_against"])
    shown = services.suggest_receivers(user=ministry.wg_member, appeal=appeal)
    assert ministry.regional_a not in [s.org for s in shown]


def test_the_route_form_shows_the_suggestions_to_the_group_and_logs_the_decision(
    ministry: Ministry,
) -> None:
    appeal = register(author_region_id=ministry.region_a.pk)
    url = reverse("appeals:detail", args=[appeal.number])
    html = client_for(ministry.wg_member).get(url).content.decode()
    assert "routing-suggestions" in html and "Choose in the routing form" in html
    client_for(ministry.wg_member).get(url)  # shown again: still one logged suggestion
    suggestion = Suggestion.objects.get(appeal=appeal)
    assert suggestion.items[0]["org"] == ministry.regional_a.pk
    appeal_services.route_appeal(
        actor=ministry.wg_member, appeal=appeal, to_org=ministry.main_directorate
    )
    suggestion.refresh_from_db()
    assert suggestion.decided_org == ministry.main_directorate
    assert suggestion.decided_rank == 2  # the group took the second suggestion
    assert suggestion.decided_by == ministry.wg_member


def test_nobody_outside_the_group_sees_suggestions(ministry: Ministry) -> None:
    appeal = register(author_region_id=ministry.region_a.pk)
    appeal_services.route_appeal(
        actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
    )
    html = client_for(ministry.regional_executor).get(
        reverse("appeals:detail", args=[appeal.number])
    )
    assert "routing-suggestions" not in html.content.decode()


def _history(ministry: Ministry, n: int = 20) -> list:
    appeals = []
    for i in range(n):
        cardio = register(
            text=f"{CARDIO} {i}", author_phone=f"+99890100{i:04d}", author_region_id=None
        )
        appeal_services.route_appeal(
            actor=ministry.wg_member, appeal=cardio, to_org=ministry.centre
        )
        local = register(
            text=f"{AMBULANCE} {i}",
            author_phone=f"+99890200{i:04d}",
            author_region_id=ministry.region_a.pk,
        )
        appeal_services.route_appeal(
            actor=ministry.wg_member, appeal=local, to_org=ministry.regional_a
        )
        appeals += [cardio, local]
    return appeals


def test_the_model_learns_the_group_s_decisions_except_returned_routings(
    ministry: Ministry,
) -> None:
    _history(ministry)
    wrong = register(text=f"{CARDIO} wrong", author_phone="+998903000001")
    [assignment] = appeal_services.route_appeal(
        actor=ministry.wg_member, appeal=wrong, to_org=ministry.main_directorate_2
    )
    appeal_services.return_assignment(
        actor=ministry.md2_executor, assignment=assignment, reason="Not ours: cardiology."
    )
    assert Assignment.objects.get(pk=assignment.pk).state == "returned"
    labels = [label for _r, label in services.routing_history()]
    assert len(labels) == 40 and ministry.main_directorate_2.code not in labels

    version = retrain_routing.delay().get()
    row = RoutingModel.objects.get(version=version)
    assert (row.samples, row.receivers, row.held_out) == (40, 2, 8)
    assert row.top1 == 1.0 and row.baseline_top1 is not None and row.rule_top1 is not None
    assert default_storage.exists(row.file.name)

    # Uzbek Latin history, a Russian letter: the folded n-grams still find the cardiology centre.
    new = register(text=CARDIO_RU, author_phone="+998903000002")
    shown = services.suggest_receivers(user=ministry.wg_member, appeal=new)
    assert shown[0].org == ministry.centre
    assert shown[0].confidence > shown[1].confidence
    assert any("model v1" in r for r in shown[0].reasons)
    assert any("most similar past appeals" in r and "PV-2026-" in r for r in shown[0].reasons)


def test_a_suggestion_never_names_an_appeal_the_user_may_not_open(ministry: Ministry) -> None:
    history = _history(ministry)
    services.retrain_routing()
    new = register(text=CARDIO, author_phone="+998903000003")
    # The regional directorate sees only what it holds: none of the centre's appeals.
    shown = services.suggest_receivers(user=ministry.regional_executor, appeal=new, log_it=False)
    text = " ".join(r for s in shown for r in s.reasons)
    assert "most similar past appeals" in text
    centre_numbers = [a.number for a in history if "kardiologiya" in a.text]
    assert not any(number in text for number in centre_numbers)
    shown = services.suggest_receivers(user=ministry.wg_member, appeal=new, log_it=False)
    text = " ".join(r for s in shown for r in s.reasons)
    assert any(number in text for number in centre_numbers)


def test_without_enough_history_the_command_says_the_rules_suggest(ministry: Ministry, capsys):
    call_command("train_routing")
    assert "rules suggest" in capsys.readouterr().out
    assert not RoutingModel.objects.exists()


def test_the_model_is_retrained_and_surges_looked_for_on_a_schedule() -> None:
    from django.conf import settings

    from murojaat.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in ("murojaat.assist.tasks.retrain_routing", "murojaat.assist.tasks.detect_surges"):
        assert task in scheduled
        assert task in app.tasks
