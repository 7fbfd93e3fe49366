"""Urgent triage on folded text (issue 14 §2): combinations, not alarming words."""

from __future__ import annotations

import pytest

from murojaat.assist import triage
from murojaat.core.translit import latin_to_cyrillic


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Otam yurak xuruji boʻldi, tez yordam chaqirdik, kelmadi.", "emergency_refused"),
        ("Вызвали скорую к отцу, скорая не приехала за два часа.", "emergency_refused"),
        ("Bolamga shoshilinch operatsiya kerak, lekin navbat bir oy.", "vulnerable_urgent"),
        ("Беременной невестке нужна срочная помощь, роддом отказал.", "vulnerable_urgent"),
        ("Dorixonada insulin tugagan, bolamga berilmayapti.", "drugs_out"),
        ("Закончились онкологические препараты, химиотерапия прервана.", "drugs_out"),
        ("Maktab oshxonasidan keyin oʻnlab oʻquvchilar zaharlandi.", "outbreak"),
        ("В посёлке вспышка кишечной инфекции.", "outbreak"),
    ],
)
def test_an_immediate_risk_is_flagged_with_the_rule_and_words_that_fired(
    text: str, rule: str
) -> None:
    result = triage.triage(text)
    assert result.urgent
    assert rule in result.rules
    assert result.words  # the flag says why


def test_uzbek_cyrillic_is_flagged_like_uzbek_latin() -> None:
    latin = "Homilador ayolda qon ketishi boshlandi, tez yordam kelmadi."
    cyrillic = latin_to_cyrillic(latin)
    assert cyrillic != latin
    expected = ["emergency_refused", "vulnerable_urgent"]
    assert triage.triage(latin).rules == triage.triage(cyrillic).rules == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dahshatli shifokor, juda qoʻpol muomala qildi.",
        "Ужасный врач, грубо разговаривал с пациентами.",
        # a refusal without an emergency: the polyclinic's queue is not a risk to life
        "Poliklinikada shifokor qabul qilmadi, navbat uch kun.",
        # an emergency that came, thanked
        "Tez yordam tez keldi, shifokorlarga rahmat.",
        "Скорая помощь приехала быстро, спасибо врачам.",
        # insulin that is given
        "Insulin bepul berilmoqda, rahmat, test-chiziqlarni ham soʻrayman.",
        # a child and "urgently", but a certificate, not care
        "Bolamga bogʻcha uchun maʼlumotnoma shoshilinch kerak.",
        # the topic's own name mentions epidemiology
        "Sanitariya-epidemiologiya markazi chiqindilarni olib ketmayapti.",
    ],
)
def test_alarming_words_alone_do_not_flag(text: str) -> None:
    assert not triage.triage(text).urgent, triage.triage(text).hits


def test_a_negated_refusal_in_russian_is_not_a_refusal() -> None:
    assert not triage.triage("Скорая приехала, в экстренной помощи нам не отказали.").urgent
    assert triage.triage("В экстренной помощи нам отказали.").urgent


def test_the_risk_and_the_need_must_share_a_sentence() -> None:
    text = "Bolam maktabga boradi. Qoʻshnimiz shoshilinch operatsiya haqida gapirdi."
    assert not triage.triage(text).urgent


def test_the_group_s_clearings_demote_a_rule_and_confirmations_keep_it() -> None:
    text = "Hayotimga xavf bor deb yozdim."
    assert triage.triage(text).urgent is True  # life_threat's prior 0.6 ≥ 0.5
    cleared = {"life_threat": (1, 9)}
    assert triage.learned_precision(cleared)["life_threat"] < 0.5
    assert triage.triage(text, cleared).urgent is False
    confirmed = {"life_threat": (9, 1)}
    assert triage.triage(text, confirmed).urgent is True


@pytest.mark.parametrize(
    "text",
    [
        "Qishlogʻimizda tez yordam mashinasi yoʻq, bemorni taksida olib bordik.",
        "Скорая приехала через 3 часа, отец был без сознания.",
        "Тез ёрдам уч соатдан кейин келди.",
        "В детском саду массовое отравление, дети в больнице.",
        "Bogʻchada bolalar ichak infektsiyasi bilan kasallandi.",
        "Малышу нужна срочная госпитализация, а мест нет.",
    ],
)
def test_absent_or_late_emergency_care_and_an_outbreak_in_a_school_flag(text: str) -> None:
    assert triage.triage(text).urgent, text


@pytest.mark.parametrize(
    "text",
    [
        "Poliklinikada pediatr yoʻq, navbat uzun.",  # absence without emergency care
        "Нет бесплатных витаминов в аптеке.",
        "Maktab oshxonasida ovqat sifati past.",  # a school canteen, nobody poisoned
    ],
)
def test_absence_without_an_emergency_does_not_flag(text: str) -> None:
    assert not triage.triage(text).urgent, triage.triage(text).hits
