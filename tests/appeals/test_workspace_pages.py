"""Every workspace page: signed-in only, confidential, in four languages, bounded queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Event, EventKind, FeedbackForm, Outcome, Topic
from tests.appeals.helpers import PDF, register
from tests.factories import Ministry, make_org, make_user
from tests.reports.bulk import make_appeals
from tests.reports.scenario import TODAY, Scenario, at, build

pytestmark = pytest.mark.django_db

LANGUAGES = ["uz", "uz-cyrl", "ru", "en"]
WG_TABS = ["routing", "returned", "extensions", "answers", "ready", "source", "due_soon", "overdue"]
STAFF_TABS = ["to_accept", "in_work", "due_soon", "overdue", "returned", "answers", "to_sign",
              "feedback"]  # fmt: skip


def pages() -> list[str]:
    inbox, search = reverse("appeals:inbox"), reverse("appeals:search")
    return [
        inbox,
        *[f"{inbox}?tab={tab}" for tab in WG_TABS + STAFF_TABS],
        f"{inbox}?tab=routing&channel=president_vr&region=1&sort=-received&date_from=2026-11-01",
        search,
        f"{search}?q=karimova",
        f"{search}?q=PV-2026",
        f"{search}?q=901234567",
    ]


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def test_anonymous_users_are_sent_to_sign_in(client, ministry: Ministry) -> None:
    for url in pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_an_association_of_another_region_sees_none_of_region_a(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    region_a = list(
        Appeal.objects.filter(author_region=ministry.region_a).values_list("number", flat=True)
    )
    assert len(region_a) >= 4
    with at(TODAY):
        client.force_login(ministry.outsider)
        for url in [
            *pages(),
            f"{reverse('appeals:search')}?q=PV",
            f"{reverse('appeals:search')}?q=VV",
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for number in region_a:
                assert number not in html, (url, number)
            assert all(tab.count == 0 for tab in response.context.get("tabs") or [])


def test_an_organisation_sees_its_own_appeals_but_not_its_neighbours(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with at(TODAY):
        client.force_login(ministry.association_executor)
        html = client.get(reverse("appeals:search"), {"q": "murojaat"}).content.decode()
        html += client.get(reverse("appeals:search"), {"q": "PV"}).content.decode()
    assert scenario.at_association.number in html
    assert scenario.in_work_b.number not in html
    assert scenario.new_today.number not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_each_language(
    client, ministry: Ministry, scenario: Scenario, language: str
) -> None:
    for user in (ministry.wg_member, ministry.regional_head):
        with at(TODAY):
            client.force_login(user)
            client.cookies["django_language"] = language
            for url in pages():
                response = client.get(url)
                assert response.status_code == 200, url
                html = response.content.decode()
                assert f'<html lang="{language}">' in html, url


def test_the_accept_language_header_is_honoured(client, ministry: Ministry, scenario) -> None:
    with at(TODAY):
        client.force_login(ministry.wg_member)
        response = client.get(reverse("appeals:inbox"), HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="ru">' in response.content.decode()


def test_filters_are_labelled_and_tables_have_header_scopes(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with at(TODAY):
        client.force_login(ministry.wg_member)
        html = client.get(reverse("appeals:inbox")).content.decode()
    for name in ("channel", "topic", "region", "district", "org", "date_from", "date_to", "state",
                 "sort"):  # fmt: skip
        assert f'<label class="form-label small mb-0" for="id_{name}">' in html, name
    assert '<th scope="col">' in html and '<th scope="row"' in html
    assert 'aria-current="page"' in html


def _bounded(client, django_assert_max_num_queries, user, urls: list[str], bound: int) -> None:
    client.force_login(user)
    for url in urls:
        client.get(url)  # warm the per-process caches (calendar, content types)
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("n", [5, 50])
def test_inbox_and_search_queries_do_not_grow_with_the_appeals(
    client, ministry: Ministry, django_assert_max_num_queries, n: int
) -> None:
    make_appeals(ministry, n)
    inbox, search = reverse("appeals:inbox"), reverse("appeals:search")
    with at(date(2026, 11, 20)):
        for user, tabs in (
            (ministry.wg_member, WG_TABS),
            (ministry.regional_executor, STAFF_TABS),
            (ministry.association_head, STAFF_TABS),
        ):
            urls = [f"{inbox}?tab={tab}" for tab in tabs]
            urls.append(f"{inbox}?tab={tabs[0]}&region={ministry.region_a.pk}&sort=-received")
            if user == ministry.regional_executor:  # the work of a district below (issue 4)
                urls.append(f"{inbox}?tab=to_accept&org={ministry.association_a.code}")
            # Measured 12-14 (docs/performance.md): session, user and roles 3 (and the user's
            # organisation 1); one capped COUNT per tab (6-8; issue 9: "1,000+" past the cap,
            # so a count never reads all the open work); the page rows 1 and their topics 1
            # (the routing tab: its flagged appeals, then the others, 2 rows queries: issue 9,
            # assist.selectors.UrgentFirst); one more for the organisation filter. The filter
            # choices are cached per process (issue 9): no query.
            _bounded(client, django_assert_max_num_queries, user, urls, bound=14)
        # On PostgreSQL a read under a time budget (the count, and a subtree's text-only
        # probe: selectors.search.within_budget) is three statements more around it: a
        # savepoint (here, inside the test's transaction; BEGIN in production), the SET LOCAL
        # of the timeout, the rollback (and the savepoint's release here).
        budget = 4 if connection.vendor == "postgresql" else 0
        _bounded(
            client,
            django_assert_max_num_queries,
            ministry.wg_member,
            [f"{search}?q=navbat", f"{search}?q=90000", f"{search}?q=muallif+shifokor"],
            bound=6 + budget,
        )
        # L-10 adds conditions for those who may not see a withheld author, not queries; an
        # organisation's user costs one more (their organisation, for the scope) and one for
        # the text-only candidates that keep a rare word cheap in a subtree (issue 9), which
        # runs under its own budget on PostgreSQL.
        for user, bound in ((ministry.auditor, 7 + budget), (ministry.regional_executor, 8)):
            if user == ministry.regional_executor:
                bound += 2 * budget
            _bounded(
                client,
                django_assert_max_num_queries,
                user,
                [f"{search}?q=navbat", f"{search}?q=muallif+shifokor"],
                bound=bound,
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_follow_the_user_s_locale_on_every_page(
    client, ministry: Ministry, scenario: Scenario, language: str
) -> None:
    """Issue 4 §5: the inbox and the appeal page write the same date the same way, in the
    format of the user's language (not a hard-coded d.m.Y)."""
    appeal = scenario.at_association
    with at(TODAY):
        client.force_login(ministry.regional_head)
        client.cookies["django_language"] = language
        inbox = client.get(reverse("appeals:inbox"), {"tab": "in_work"}).content.decode()
        page = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    with translation.override(language):
        received = localtime(appeal.received_at)
        due = date_format(scenario.top.due_date, "SHORT_DATE_FORMAT")
        short = date_format(received, "SHORT_DATE_FORMAT")
        stamp = date_format(received, "SHORT_DATETIME_FORMAT")
    assert due in inbox and due in page
    assert short in inbox and stamp in page
    if language == "en":
        assert received.strftime("%d.%m.%Y") not in page


def test_numbers_inside_attributes_are_not_grouped(
    client, ministry: Ministry, scenario: Scenario, settings
) -> None:
    """With thousands grouping on, an element id must stay a bare number (the links to
    #event-… and #answer-… use them)."""
    settings.USE_THOUSAND_SEPARATOR = True
    appeal = scenario.answered
    # Event.save refuses a preset pk (append-only); bulk_create writes the row as it is.
    Event.objects.bulk_create(
        [Event(pk=12345, appeal=appeal, kind=EventKind.COMMENT, at=appeal.received_at)]
    )
    with at(TODAY):
        client.force_login(ministry.wg_member)
        client.cookies["django_language"] = "en"
        html = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert 'id="event-12345"' in html


def _offered(client, appeal: Appeal) -> set[str]:
    html = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    return set(re.findall(r'action="/appeals/[^/]+/act/([a-z_]+)/', html))


def test_request_extension_is_offered_only_while_the_procedure_allows_one_r_p2_11(
    client, ministry: Ministry
) -> None:
    """R-P2-11: the term is extended once. The form disappears while a request is pending and
    after one was approved (posting it then is refused with 400); a refusal frees it again."""
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register(author_region_id=m.region_a.pk)
        assert appeal.procedure.max_extensions == 1
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
        services.accept_assignment(actor=m.regional_executor, assignment=top)
        client.force_login(m.regional_executor)
        assert "request_extension" in _offered(client, appeal)
        first = services.request_extension(
            actor=m.regional_executor, assignment=top, days=3, reason="Ekspertiza"
        )
        assert "request_extension" not in _offered(client, appeal)  # pending
        services.decide_extension(actor=m.wg_member, request=first, approve=False, comment="Yoʻq")
        assert "request_extension" in _offered(client, appeal)  # a refusal does not count
        second = services.request_extension(
            actor=m.regional_executor, assignment=top, days=3, reason="Yana"
        )
        services.decide_extension(actor=m.wg_member, request=second, approve=True)
        assert "request_extension" not in _offered(client, appeal)  # the one extension is used
        top.refresh_from_db()
        refused = client.post(
            reverse("appeals:act", args=[appeal.number, "request_extension", top.pk]),
            {"version": top.version, "days": 2, "reason": "Yana bir bor"},
        )
        assert refused.status_code == 400


def _busy_appeal(m: Ministry, size: int) -> Appeal:
    """An appeal with `size` co-executors (all accepted), `size` documents and every kind of
    row the page lists (forwarded assignment, draft answer, extension request), so that only
    the number of rows differs between sizes."""
    with at(date(2026, 11, 18)):
        appeal = register(topics=("quality-of-care", "medicines"), author_region_id=m.region_a.pk)
        centres = [
            make_org(f"centre-{size}-{i}", "centre", m.ministry, name_en=f"Centre {i}")
            for i in range(size)
        ]
        top, *co = services.route_appeal(
            actor=m.wg_member, appeal=appeal, to_org=m.regional_a, co_executors=centres
        )
        services.accept_assignment(actor=m.regional_executor, assignment=top)
        for a in co:
            services.accept_assignment(actor=make_user(f"x{a.pk}", a.org, "executor"), assignment=a)
        child = services.forward_assignment(
            actor=m.regional_executor, assignment=top, to_org=m.association_a
        )
        services.accept_assignment(actor=m.association_executor, assignment=child)
        for i in range(size):
            services.add_document(
                actor=m.regional_executor,
                appeal=appeal,
                assignment=top,
                kind="supporting",
                name=f"s{i}.pdf",
                content=PDF,
            )
        services.draft_answer(
            actor=m.association_executor,
            assignment=child,
            text="Oʻrganildi.",
            feedback_form=FeedbackForm.THANKS,
            outcomes=[
                services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.SATISFIED)
            ],
        )
        services.request_extension(actor=m.regional_executor, assignment=top, days=3, reason="r")
    return appeal


def test_the_appeal_page_costs_the_same_queries_for_few_and_many_rows(
    ministry: Ministry,
) -> None:
    """Issue 4 §8: the appeal page's queries do not grow with its events, documents and
    assignments. Measured for each side (working group, receiver, supervisor, executor below,
    auditor) on a small appeal and on one with ten times the rows: the same count, within the
    bound of test_case_views (docs/performance.md)."""
    m = ministry
    few, many = _busy_appeal(m, 1), _busy_appeal(m, 10)
    assert many.events.count() >= few.events.count() + 25
    assert many.documents.count() == few.documents.count() + 9
    assert many.assignments.count() == few.assignments.count() + 9
    users = (m.wg_member, m.regional_executor, m.regional_head, m.association_executor, m.auditor)
    measured: dict[str, tuple[int, int]] = {}
    with at(date(2026, 11, 19)):
        for user in users:
            client = Client()
            client.force_login(user)
            costs = []
            for appeal in (few, many):
                url = reverse("appeals:detail", args=[appeal.number])
                client.get(url)  # warm the per-process caches (calendar, content types)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                costs.append(len(queries))
            measured[user.username] = (costs[0], costs[1])
    for username, (small, large) in measured.items():
        assert small == large, (username, measured)
        assert large <= 24, (username, measured)


@pytest.mark.parametrize(
    "who", ["wg_member", "auditor", "regional_executor", "regional_head", "association_head"]
)
def test_tab_counts_are_each_tab_s_own_count_capped_at_a_thousand(
    ministry: Ministry, scenario: Scenario, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9: each tab's badge is the number of rows the tab lists (its selector's queryset
    counted alone), with and without a filter, on a day when some work is due soon and some is
    overdue, in one capped query per tab; past the cap the badge says "cap+"."""
    from murojaat.appeals import selectors
    from murojaat.appeals.selectors import inbox as queues
    from murojaat.appeals.views_workspace import count_tabs, filter_tabs, workspace_tabs

    user = getattr(ministry, who)
    for day in (TODAY, date(2026, 12, 20)):
        for data in ({}, {"channel": "president_vr"}):
            tabs = workspace_tabs(user, day)
            filter_tabs(tabs, data)
            with CaptureQueriesContext(connection) as counted:
                count_tabs(tabs)
            assert len(counted) == len(tabs)  # one capped count per tab
            assert all("LIMIT 1001" in q["sql"] for q in counted.captured_queries)
            for tab in tabs:
                assert tab.count == tab.qs.count() and not tab.more, (who, day, data, tab.key)
    # The folded predicates are the selectors' own rules (written once).
    tabs = {t.key: t for t in workspace_tabs(user, TODAY)}
    count_tabs(list(tabs.values()))
    if selectors.sees_everything(user):
        assert tabs["routing"].count == queues.appeals_to_route(user).count()
        assert tabs["returned"].count == queues.appeals_returned_to_group(user).count()
    else:
        assert tabs["returned"].count == queues.returned_to_org(user).count()
        assert tabs["answers"].count == queues.answers_from_below(user).count()
        mine = selectors.my_assignments(user)
        assert tabs["feedback"].count == queues.awaiting_feedback(mine).count()
        assert tabs["overdue"].count == selectors.overdue(mine, TODAY).count()
        if "to_sign" in tabs:
            assert tabs["to_sign"].count == queues.signable_assignments(user).count()
    assert sum(t.count for t in tabs.values()) > 0
    # Past the cap: the cap and "more", never a count of every row.
    from murojaat.appeals import views_workspace

    biggest = max(tabs.values(), key=lambda t: t.count)
    monkeypatch.setattr(views_workspace, "TAB_COUNT_CAP", biggest.count - 1)
    count_tabs([biggest])
    assert biggest.count == views_workspace.TAB_COUNT_CAP and biggest.more
