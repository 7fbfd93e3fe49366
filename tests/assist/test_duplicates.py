"""Issue 14 §3, §6: possible duplicates at intake, the one-click merge (L-6), campaigns."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from murojaat.accounts.models import Role
from murojaat.appeals import services as appeal_services
from murojaat.appeals.models import AppealState, EventKind
from murojaat.assist import services
from murojaat.assist.models import Campaign, CandidateState, DuplicateCandidate
from tests.appeals.helpers import register
from tests.factories import Ministry, make_user

LETTER = (
    "Zangiota tumanidagi 3-sonli oilaviy poliklinikada kardiolog ikki oydan beri yoʻq, bemorlar "
    "viloyat markaziga qatnashga majbur. Iltimos, shifokor tayinlang."
)
CLOSURE = (
    "Urgut tumanidagi 7-sonli qishloq vrachlik punkti yopilmoqda. Aholi 15 km uzoqdagi "
    "poliklinikaga qatnashga majbur boʻladi. Punktni yopmaslikni soʻraymiz."
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def registered(django_capture_on_commit_callbacks, **fields):
    """Register as the doors do: the duplicate search runs after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return register(**fields)


def test_the_same_author_writing_again_is_shown_as_a_possible_duplicate(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    first = registered(django_capture_on_commit_callbacks, text=LETTER)
    again = registered(
        django_capture_on_commit_callbacks,
        text="Qayta yozyapman, javob yoʻq. " + LETTER.replace("Iltimos", "Tezroq"),
    )
    [candidate] = DuplicateCandidate.objects.filter(appeal=again)
    assert candidate.original == first and candidate.same_author
    event = again.events.get(kind=EventKind.DUPLICATE_SUSPECTED)
    assert event.data["originals"] == [first.number]


def test_another_author_s_near_identical_letter_in_the_region_is_a_duplicate(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    region = ministry.region_a.pk
    first = registered(django_capture_on_commit_callbacks, text=LETTER, author_region_id=region)
    registered(
        django_capture_on_commit_callbacks,
        text="Bolalar poliklinikasida pediatr yoʻq, emlash kechikmoqda.",
        author_phone="+998907770001",
        author_region_id=region,
    )
    other = registered(
        django_capture_on_commit_callbacks,
        text=LETTER,
        author_phone="+998907770002",
        author_name="Boshqa Muallif",
        author_region_id=region,
    )
    originals = list(
        DuplicateCandidate.objects.filter(appeal=other).values_list("original", flat=True)
    )
    assert originals == [first.pk]
    # the same text from another region is another matter (another clinic)
    far = registered(
        django_capture_on_commit_callbacks,
        text=LETTER,
        author_phone="+998907770003",
        author_name="Uzoq Muallif",
        author_region_id=ministry.region_b.pk,
    )
    assert not DuplicateCandidate.objects.filter(appeal=far).exists()


def test_the_one_click_merge_uses_the_l6_merge_and_records_the_decision(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    first = registered(django_capture_on_commit_callbacks, text=LETTER)
    again = registered(django_capture_on_commit_callbacks, text=LETTER + " Qayta yozyapman.")
    candidate = DuplicateCandidate.objects.get(appeal=again)
    client = client_for(ministry.wg_member)
    page = client.get(reverse("appeals:detail", args=[again.number])).content.decode()
    assert "possible-duplicates" in page and reverse("assist:merge", args=[candidate.pk]) in page
    side = client.get(reverse("assist:compare", args=[candidate.pk])).content.decode()
    assert first.number in side and again.number in side
    response = client.post(reverse("assist:merge", args=[candidate.pk]))
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.state == AppealState.MERGED and again.duplicate_of == first
    assert first.events.filter(kind=EventKind.DUPLICATE_RECEIVED).exists()
    candidate.refresh_from_db()
    assert (candidate.state, candidate.decided_by) == (CandidateState.MERGED, ministry.wg_member)


def test_a_merge_by_the_case_page_form_also_decides_the_pair(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    first = registered(django_capture_on_commit_callbacks, text=LETTER)
    again = registered(django_capture_on_commit_callbacks, text=LETTER + " Qayta.")
    appeal_services.merge_duplicate(actor=ministry.wg_member, appeal=again, into=first)
    assert DuplicateCandidate.objects.get(appeal=again).state == CandidateState.MERGED


def test_not_a_duplicate_is_recorded_and_hides_the_pair(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    registered(django_capture_on_commit_callbacks, text=LETTER)
    again = registered(django_capture_on_commit_callbacks, text=LETTER + " Qayta.")
    candidate = DuplicateCandidate.objects.get(appeal=again)
    client_for(ministry.wg_member).post(reverse("assist:dismiss", args=[candidate.pk]))
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.DISMISSED
    page = client_for(ministry.wg_member).get(reverse("appeals:detail", args=[again.number]))
    assert "possible-duplicates" not in page.content.decode()


def test_pairs_are_shown_only_to_the_group_and_404_to_others(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    first = registered(django_capture_on_commit_callbacks, text=LETTER)
    appeal_services.route_appeal(actor=ministry.wg_member, appeal=first, to_org=ministry.regional_a)
    again = registered(
        django_capture_on_commit_callbacks,
        text=LETTER + " Qayta.",
        author_phone="+998907770009",
        author_name="Boshqa Muallif",
    )
    appeal_services.route_appeal(actor=ministry.wg_member, appeal=again, to_org=ministry.regional_b)
    candidate = DuplicateCandidate.objects.get(appeal=again)
    # Region B's directorate opens `again` but may not open `first`: no pair, no number.
    region_b = make_user("rdbexec", ministry.regional_b, Role.EXECUTOR)
    page = client_for(region_b).get(reverse("appeals:detail", args=[again.number]))
    assert page.status_code == 200
    assert first.number not in page.content.decode()
    assert "possible-duplicates" not in page.content.decode()
    for user in (region_b, ministry.regional_executor):
        assert (
            client_for(user).get(reverse("assist:compare", args=[candidate.pk])).status_code == 404
        )
        assert (
            client_for(user).post(reverse("assist:merge", args=[candidate.pk])).status_code == 404
        )
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.OPEN


def test_many_near_identical_letters_from_different_authors_are_one_campaign(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    region = ministry.region_b.pk
    letters = [
        registered(
            django_capture_on_commit_callbacks,
            text=CLOSURE + (f" {i}-imzo." if i % 2 else ""),
            author_phone=f"+99890555{i:04d}",
            author_name=f"Muallif {i}",
            author_region_id=region,
        )
        for i in range(5)
    ]
    [campaign] = Campaign.objects.all()
    assert campaign.lead == letters[0]
    client = client_for(ministry.wg_member)
    page = client.get(reverse("assist:campaign", args=[campaign.pk])).content.decode()
    assert 'id="campaign-letters">5<' in page and 'id="campaign-authors">5<' in page
    client.post(reverse("assist:merge_campaign", args=[campaign.pk]))
    states = [a.state for a in type(letters[0]).objects.filter(pk__in=[a.pk for a in letters])]
    assert states.count(AppealState.MERGED) == 4 and states.count(AppealState.NEW) == 1
    # counted honestly: five letters, five authors, one case, still after the merge
    view = client.get(reverse("assist:campaign", args=[campaign.pk])).content.decode()
    assert 'id="campaign-letters">5<' in view
    assert (
        client_for(ministry.outsider)
        .get(reverse("assist:campaign", args=[campaign.pk]))
        .status_code
        == 404
    )


def test_a_duplicate_search_that_fails_never_fails_the_registration(
    ministry: Ministry, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    def broken(appeal):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "find_duplicates", broken)
    appeal = registered(django_capture_on_commit_callbacks, text=LETTER)
    assert appeal.pk
