"""The staff workspace: inboxes by role and the script-insensitive search (issue 4).

Every list here is built on the scoping selectors (`appeals_visible_to`, `assignments_visible_to`,
`my_assignments`, `overdue`, `due_soon`), so a page can only narrow what the user may read, never
widen it. Each tab is one queryset over one model; the tab counts are one COUNT each, whatever
the number of appeals, and the page rows are fetched with their relations in a fixed number of
queries (see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format, localize, number_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import User
from murojaat.orgs.models import District, Organisation, Region
from murojaat.orgs.tree import cached

from . import selectors, services
from .deadlines import TASHKENT, local_date, working_days_left
from .forms import BootstrapForm, picker_attrs
from .models import (
    FINAL_APPEAL_STATES,
    Appeal,
    AppealState,
    Assignment,
    AssignmentState,
    Channel,
    ExtensionRequest,
    Topic,
)
from .permissions import is_working_group
from .selectors import withheld_from  # noqa: F401  (tests import it from here)
from .selectors.inbox import (  # noqa: F401  (signable_assignments: tests)
    answers_from_below_q,
    awaiting_feedback_q,
    pending_extension_requests,
    returned_to_group_q,
    returned_to_org_q,
    signable_assignments,
    signable_assignments_q,
    signs_answers,
    to_route_q,
    watched_assignments,
)
from .selectors.search import (  # noqa: F401  (search_appeals, search_order: tests, bench)
    SEARCH_COUNT_CAP,
    OpenPage,
    capped_count,
    count_up_to,
    narrowed_search,
    newest_first_is_dense,
    open_page,
    search_appeals,
    search_order,
)
from .services import due_soon_threshold

PER_PAGE = 25

# Which model a tab lists, and the path from that model to its appeal (for the filters).
APPEAL, ASSIGNMENT, EXTENSION = "appeal", "assignment", "extension"
PREFIX = {APPEAL: "", ASSIGNMENT: "appeal__", EXTENSION: "assignment__appeal__"}
DUE_FIELD = {APPEAL: "due_date", ASSIGNMENT: "due_date", EXTENSION: "assignment__due_date"}
RECEIVED_FIELD = {
    APPEAL: "received_at",
    ASSIGNMENT: "appeal__received_at",
    EXTENSION: "assignment__appeal__received_at",
}
SORTS = {
    "due": _("Deadline, earliest first"),
    "-due": _("Deadline, latest first"),
    "received": _("Received, oldest first"),
    "-received": _("Received, newest first"),
}


def today_local() -> date:
    return local_date(timezone.now())


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TASHKENT)


# --- filters ------------------------------------------------------------------------------------


class CachedSelect(forms.Select):
    """A <select> whose options are HTML built once per process, language and tree version.

    Django's Select renders every option through a template: with 271 organisations and 206
    districts that was half of an inbox request's CPU (issue 9). The options here are escaped
    once and joined; rendering a request's select only marks the chosen one."""

    def __init__(
        self,
        options_html: Callable[[], str],
        attrs: dict[str, Any] | None = None,
        select_empty: bool = False,
    ):
        super().__init__(attrs)
        self.options_html = options_html
        self.select_empty = select_empty

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        options = self.options_html()
        if value not in (None, ""):
            chosen = format_html('<option value="{}">', str(value))
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        elif self.select_empty:  # as Django's Select marks a ChoiceField's empty choice
            options = options.replace('<option value="">', '<option value="" selected>', 1)
        # `options` was escaped by format_html_join (_options); marking the chosen option
        # inserts only the constant " selected".
        safe_options = mark_safe(options)  # noqa: S308
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), safe_options)


def _options(empty_label: Any, choices: Iterable[tuple[Any, Any]]) -> str:
    return format_html_join("", '<option value="{}">{}</option>', [("", empty_label), *choices])


class CachedChoiceField(forms.Field):
    """A filter chosen from a cached list: `lookup()` maps each valid submitted value to what
    the filter uses (an id), and `options()` renders the list (CachedSelect)."""

    def __init__(
        self,
        *,
        lookup: Callable[[], dict[str, Any]],
        options: Callable[[], str],
        **kwargs: Any,
    ) -> None:
        self.lookup = lookup
        super().__init__(widget=CachedSelect(options), **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        found = self.lookup().get(str(value))
        if found is None:
            raise forms.ValidationError(
                forms.ModelChoiceField.default_error_messages["invalid_choice"],  # Django's own
                code="invalid_choice",
            )
        return found


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def topic_choices() -> list[tuple[str, int, str]]:
    """(code, id, name in the current language) of the active topics, cached (orgs.tree)."""

    def build() -> list[tuple[str, int, str]]:
        return [(t.code, t.pk, t.name) for t in Topic.objects.filter(is_active=True)]

    return cached(("topics", _language()), build)


def region_choices() -> list[tuple[int, str]]:
    return cached(("regions", _language()), lambda: [(r.pk, r.name) for r in Region.objects.all()])


def district_choices() -> list[tuple[int, str]]:
    return cached(
        ("districts", _language()), lambda: [(d.pk, d.name) for d in District.objects.all()]
    )


def organisation_choices() -> list[tuple[str, int, str]]:
    """(code, id, name) of the active organisations in tree order, cached (orgs.tree)."""

    def build() -> list[tuple[str, int, str]]:
        orgs = Organisation.objects.active().order_by("path")
        return [(o.code, o.pk, o.name) for o in orgs]

    return cached(("organisations", _language()), build)


def _static_choice(
    name: str, label: Any, empty_label: Any, choices: Iterable[tuple[str, Any]]
) -> CachedChoiceField:
    """A fixed list (channels, states, sorts) as a CachedChoiceField: the value itself, its
    options' HTML built once per language. No empty option when `empty_label` is None."""
    choices = list(choices)
    values = {str(v): v for v, _label in choices}
    key = ("static", name)

    def options() -> str:
        def build() -> str:
            html = _options(empty_label, choices)
            if empty_label is None:  # drop the empty option
                html = html.split("</option>", 1)[1]
            return html

        return cached((*key, _language()), build)

    field = CachedChoiceField(label=label, required=False, lookup=lambda: values, options=options)
    field.widget.select_empty = True
    return field


class WorkspaceFilterForm(BootstrapForm):
    """The inbox filters, kept in the URL (GET) so a filtered view can be bookmarked or shared.

    A BootstrapForm so that a filter that does not parse is marked aria-invalid and described
    by its error, as on the case forms. The long lists (topics, regions, districts,
    organisations) come from the per-process cache of murojaat.orgs.tree: no query and no
    template per option; `org` is the user's own subtree (or the whole tree for those who see
    everything) and is the one filter that reads the chosen organisation itself."""

    date_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    field_order = [
        "channel", "topic", "region", "district", "org", "date_from", "date_to", "state", "sort"
    ]  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = _language()
        # The short lists too: Django's Select renders each option through a template.
        self.fields["channel"] = _static_choice(
            "channel", _("Channel"), _("All channels"), Channel.choices
        )
        self.fields["state"] = _static_choice(
            "state", _("State of the appeal"), _("All states"), AppealState.choices
        )
        self.fields["sort"] = _static_choice("sort", _("Sort by"), None, list(SORTS.items()))
        self.fields["topic"] = CachedChoiceField(
            label=_("Topic"),
            required=False,
            lookup=lambda: cached(
                ("topic-ids", language), lambda: {c: pk for c, pk, _n in topic_choices()}
            ),
            options=lambda: cached(
                ("topic-html", language),
                lambda: _options(_("All topics"), [(c, n) for c, _pk, n in topic_choices()]),
            ),
        )
        self.fields["region"] = CachedChoiceField(
            label=_("Region"),
            required=False,
            lookup=lambda: cached(
                ("region-ids",), lambda: {str(pk): pk for pk, _n in region_choices()}
            ),
            options=lambda: cached(
                ("region-html", language), lambda: _options(_("All regions"), region_choices())
            ),
        )
        self.fields["district"] = CachedChoiceField(
            label=_("District or city"),
            required=False,
            lookup=lambda: cached(
                ("district-ids",), lambda: {str(pk): pk for pk, _n in district_choices()}
            ),
            options=lambda: cached(
                ("district-html", language),
                lambda: _options(_("All districts and cities"), district_choices()),
            ),
        )
        # Those who see everything pick from the whole tree; others from their own subtree.
        if selectors.sees_everything(user):
            root: tuple[int, ...] | None = None
        else:
            root = selectors.subtree_ids_of(user)

        def org_lookup() -> dict[str, int]:
            def build() -> dict[str, int]:
                allowed = None if root is None else set(root)
                return {
                    c: pk
                    for c, pk, _n in organisation_choices()
                    if allowed is None or pk in allowed
                }

            return cached(("org-ids", root), build)

        def org_options() -> str:
            def build() -> str:
                allowed = org_lookup()
                choices = [(c, n) for c, pk, n in organisation_choices() if c in allowed]
                return _options(_("All organisations"), choices)

            return cached(("org-html", language, root), build)

        self.fields["org"] = CachedChoiceField(
            label=_("Organisation"), required=False, lookup=org_lookup, options=org_options
        )
        # Issue 13: a filter box over the long list (static/js/org-picker.js), no new widget.
        self.fields["org"].widget.attrs.update(picker_attrs("filter"))
        self.order_fields(self.field_order)
        for f in self.fields.values():
            is_select = isinstance(f.widget, forms.Select)
            f.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )

    def clean_org(self) -> Organisation | None:
        """The chosen organisation itself: the staff tabs start from its subtree."""
        pk = self.cleaned_data.get("org")
        return None if pk is None else Organisation.objects.get(pk=pk)

    def data_or_empty(self) -> dict[str, Any]:
        """The filters that parsed; one bad value drops only itself, not the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data


def apply_filters(qs: QuerySet, kind: str, data: dict[str, Any]) -> QuerySet:
    """Narrow a tab's queryset by the filters; `kind` says how to reach the appeal from it."""
    p = PREFIX[kind]
    if data.get("channel"):
        qs = qs.filter(**{f"{p}channel": data["channel"]})
    if data.get("topic"):
        qs = qs.filter(**{f"{p}topics": data["topic"]})  # the topic's id (CachedChoiceField)
    if data.get("region"):
        qs = qs.filter(**{f"{p}author_region": data["region"]})
    if data.get("district"):
        qs = qs.filter(**{f"{p}author_district": data["district"]})
    if data.get("state"):
        qs = qs.filter(**{f"{p}state": data["state"]})
    if data.get("date_from"):
        qs = qs.filter(**{f"{p}received_at__gte": day_start(data["date_from"])})
    if data.get("date_to"):
        qs = qs.filter(**{f"{p}received_at__lt": day_start(data["date_to"] + timedelta(days=1))})
    org = data.get("org")
    if org is not None:
        if kind == ASSIGNMENT:
            qs = qs.filter(org_id__in=org.subtree_ids())
        elif kind == EXTENSION:
            qs = qs.filter(assignment__org_id__in=org.subtree_ids())
        else:
            held = Assignment.objects.filter(appeal=OuterRef("pk"), org_id__in=org.subtree_ids())
            qs = qs.filter(Exists(held))
    return qs


def apply_sort(qs: QuerySet, kind: str, sort: str) -> QuerySet:
    due, received = DUE_FIELD[kind], RECEIVED_FIELD[kind]
    order = {
        "due": (due, received),
        "-due": (f"-{due}", received),
        "received": (received,),
        "-received": (f"-{received}",),
    }.get(sort or "due", (due, received))
    return qs.order_by(*order, "pk")


# --- tabs ---------------------------------------------------------------------------------------


@dataclass
class Tab:
    """A tab: `base` narrowed by `where` (a selector's predicate) is its list, counted up to
    TAB_COUNT_CAP (`count_tabs`). A tab with no `where` lists `base` itself."""

    key: str
    label: str | Promise
    kind: str
    base: QuerySet
    where: Q | None = None
    help: str | Promise = ""
    count: int = 0
    more: bool = False  # more than TAB_COUNT_CAP: the badge says "1,000+"
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def qs(self) -> QuerySet:
        return self.base if self.where is None else self.base.filter(self.where)


def watching(user: User, org: Organisation | None) -> Organisation | None:
    """The organisation below the user's whose work the staff tabs show, if any."""
    if org is None or org.pk == user.organisation_id or is_working_group(user):
        return None
    return None if selectors.sees_everything(user) else org


def workspace_tabs(user: User, today: date, org: Organisation | None = None) -> list[Tab]:
    """The inbox tabs of this user's role, each a scoped base and a selector's predicate;
    `org` is the organisation filter (see watched_assignments)."""
    threshold = due_soon_threshold(today)
    tabs: list[Tab] = []
    # Auditors (and administrators) watch the working group's queues; only the group acts.
    if is_working_group(user) or selectors.sees_everything(user):
        visible = selectors.appeals_visible_to(user)
        top = selectors.assignments_visible_to(user).filter(parent__isnull=True)
        tabs += [
            Tab(
                "routing",
                _("To route today"),
                APPEAL,
                visible,
                to_route_q(),
                _("New appeals are routed the same day; older ones are flagged as late."),
            ),
            Tab(
                "returned",
                _("Returned to the working group"),
                APPEAL,
                visible,
                returned_to_group_q(),
                _(
                    "Receivers returned these: route them again or return them to the "
                    "source the same day."
                ),
            ),
            Tab(
                "extensions",
                _("Extension requests"),
                EXTENSION,
                pending_extension_requests(user),
            ),
            Tab(
                "answers",
                _("Answers to accept"),
                ASSIGNMENT,
                top,
                Q(state=AssignmentState.ANSWERED),
            ),
            Tab(
                "ready",
                _("Answers ready to send"),
                APPEAL,
                visible,
                Q(state=AppealState.ANSWER_READY),
            ),
            Tab(
                "source",
                _("Awaiting source confirmation"),
                APPEAL,
                visible,
                Q(state=AppealState.SENT_TO_SOURCE),
                _("Closed only when the Virtual Reception confirms."),
            ),
            Tab(
                "due_soon",
                _("Due soon"),
                ASSIGNMENT,
                top,
                selectors.due_soon_q(today, threshold),
            ),
            Tab("overdue", _("Overdue"), ASSIGNMENT, top, selectors.overdue_q(today)),
        ]
        return tabs
    mine = watched_assignments(user, org)
    visible_assignments = selectors.assignments_visible_to(user)
    tabs += [
        Tab(
            "to_accept",
            _("To accept"),
            ASSIGNMENT,
            mine,
            Q(state=AssignmentState.SENT),
            _("Sending and acceptance together take at most one day."),
        ),
        Tab("in_work", _("In work"), ASSIGNMENT, mine, Q(state=AssignmentState.ACCEPTED)),
        Tab("due_soon", _("Due soon"), ASSIGNMENT, mine, selectors.due_soon_q(today, threshold)),
        Tab("overdue", _("Overdue"), ASSIGNMENT, mine, selectors.overdue_q(today)),
        Tab(
            "returned",
            _("Returned to us"),
            ASSIGNMENT,
            visible_assignments,
            returned_to_org_q(user),
        ),
        Tab(
            "answers",
            _("Answers to accept"),
            ASSIGNMENT,
            visible_assignments,
            answers_from_below_q(user),
        ),
    ]
    if signs_answers(user):
        tabs.append(
            Tab(
                "to_sign",
                _("Waiting for my signature"),
                ASSIGNMENT,
                visible_assignments,
                signable_assignments_q(user),
                _(
                    "A deputy minister signs the main directorates' answers; a first head signs "
                    "the rest."
                ),
            )
        )
    tabs.append(
        Tab(
            "feedback",
            _("Waiting for the author's feedback"),
            ASSIGNMENT,
            mine,
            awaiting_feedback_q(),
            _("A notice, information, consent or thank-you letter, or an act of refusal."),
        )
    )
    return tabs


def filter_tabs(tabs: list[Tab], data: dict[str, Any]) -> None:
    """Narrow every tab by the filters, once per shared base (so they still share it)."""
    narrowed: dict[int, QuerySet] = {}
    for tab in tabs:
        key = id(tab.base)
        if key not in narrowed:
            narrowed[key] = apply_filters(tab.base, tab.kind, data)
        tab.base = narrowed[key]


# A tab's badge counts up to here and then says "1,000+" (issue 9): a count of every open
# item grows with the ministry's open work (62,888 open appeals at 1M: 80 ms a count), while
# nobody reads past 40 pages of a queue; they narrow it by the filters.
TAB_COUNT_CAP = 1000


def count_tabs(tabs: list[Tab]) -> None:
    """Every tab's count, capped: `SELECT COUNT(*) FROM (... LIMIT cap+1)` per tab, which each
    tab's index answers by reading at most cap+1 entries, whatever the size of the open work
    (the routing queue off `appeal_to_route`, an organisation's open work off
    `assignment_open_org_due`, the answers off the state index). One query per tab: at most 8,
    whatever the number of appeals. The tabs sharing a base were once one conditional
    aggregate (fewer queries), but an aggregate reads every row it counts."""
    for tab in tabs:
        tab.count, tab.more = count_up_to(tab.qs, TAB_COUNT_CAP)


def _rows(tab: Tab, qs: QuerySet) -> QuerySet:
    # The author's region is named from the per-process list (`region_choices`, build_rows),
    # not joined: each join of a page query cost ~1 ms of PostgreSQL planning (issue 9).
    if tab.kind == APPEAL:
        return qs.select_related("procedure").prefetch_related("topics")
    if tab.kind == ASSIGNMENT:
        return qs.select_related(
            "appeal", "appeal__procedure", "org", "sender_org"
        ).prefetch_related("appeal__topics")
    return qs.select_related(
        "assignment", "assignment__appeal__procedure", "assignment__org", "requested_by"
    ).prefetch_related("assignment__appeal__topics")


@dataclass
class Row:
    """One line of a list, whatever the tab lists: the appeal and the deadline that matters,
    with what the row shows already formatted (`build_rows`), so the template of 25 rows only
    places strings (issue 9: per-row filters, lookups and translations were most of an
    inbox request's CPU)."""

    appeal: Appeal
    due: date | None
    days_left: int | None
    org: Organisation | None = None
    assignment: Assignment | None = None
    extension: ExtensionRequest | None = None
    late_routing: bool = False
    show_author: bool = True
    guidance: services.Guidance | None = None
    urgent: bool = False  # the routing tab's flag (assist.selectors.UrgentFirst)
    # Shown as is (build_rows):
    url: str = ""
    received_iso: str = ""
    received: str = ""
    channel: str = ""
    author: str = ""
    topics: list[str] = field(default_factory=list)
    excerpt: str = ""
    place_org: str = ""
    place_region: str = ""
    state: str = ""
    extension_asked: str = ""
    due_iso: str = ""
    due_text: str = ""
    days_text: str = ""
    days_class: str = ""
    guidance_iso: str = ""
    guidance_text: str = ""

    @property
    def overdue_by(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def shows_authors(user: User) -> bool:
    """L-10: lists show a withheld author only to the working group (not auditors); executors see
    it on the appeal page, where selectors.can_see_personal_data decides per appeal."""
    return selectors.sees_every_author(user)


def _detail_url() -> Callable[[str], str]:
    """The appeal page's URL for a number: one `reverse` per request, not one per row."""
    marker = "number"
    try:
        prefix, suffix = reverse("appeals:detail", args=[marker]).rsplit(marker, 1)
    except NoReverseMatch:  # pragma: no cover - the URL is always installed
        prefix, suffix = "/appeals/", "/"
    return lambda number: f"{prefix}{quote(number, safe=_URL_SAFE)}{suffix}"


_URL_SAFE = "!$&'()*+,;=~:@"  # what `reverse` leaves unquoted in a path segment


def _days_text(days_left: int) -> tuple[str, str]:
    """The deadline's words and CSS class, as the list has always shown them."""
    if days_left < 0:
        n = -days_left
        text = ngettext(
            "overdue by %(counter)s working day", "overdue by %(counter)s working days", n
        ) % {"counter": localize(n)}
        return text, "due-overdue"
    if days_left == 0:
        return gettext("due today"), "due-soon"
    text = ngettext("%(counter)s working day left", "%(counter)s working days left", days_left) % {
        "counter": localize(days_left)
    }
    return text, "due-soon" if days_left <= 2 else "text-muted"


@lru_cache(maxsize=64)
def _labels(model: type[Model], name: str, language: str) -> dict[Any, str]:
    """`get_<name>_display` of every value of a field with fixed choices, in one language:
    the choices are code, so they are formatted once per process and language (Django's own
    builds the mapping again at every call, 40 calls a page)."""
    with translation.override(language):
        return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _label(obj: Model, name: str, language: str) -> str:
    value = getattr(obj, name)
    return _labels(type(obj), name, language).get(value, str(value))


def _excerpt(text: str) -> str:
    # Truncator counts characters after NFC; a text of 80 code points or fewer is never cut.
    return text if len(text) <= 80 else Truncator(text).chars(80)


def build_rows(tab: Tab, objects: list[Any], user: User, today: date) -> list[Row]:
    from murojaat.core.calendar import get_calendar

    cal = get_calendar()
    full = shows_authors(user)
    url = _detail_url()
    withheld = gettext("withheld at the author's request")
    short = get_format("SHORT_DATE_FORMAT")
    language = _language()
    regions = dict(region_choices())
    rows = []
    for obj in objects:
        if tab.kind == APPEAL:
            appeal, assignment, ext, org = obj, None, None, None
        elif tab.kind == ASSIGNMENT:
            appeal, assignment, ext, org = obj.appeal, obj, None, obj.org
        else:
            appeal, assignment, ext = obj.assignment.appeal, obj.assignment, obj
            org = obj.assignment.org
        due = assignment.due_date if assignment is not None else appeal.due_date
        open_ = appeal.is_open if assignment is None else assignment.is_open
        clock: Appeal | Assignment = assignment if assignment is not None else appeal
        days_left = working_days_left(today, due, cal) if open_ and due else None
        guidance = services.guidance_for(clock, today, cal) if open_ else None
        show_author = full or not appeal.hide_personal_data
        received = template_localtime(appeal.received_at)
        row = Row(
            appeal=appeal,
            due=due,
            days_left=days_left,
            org=org,
            assignment=assignment,
            extension=ext,
            # R-P2-2: the same rule the routing service records a late routing by.
            late_routing=(
                tab.key == "routing" and services.route_by(appeal, appeal.due_start, cal) < today
            ),
            show_author=show_author,
            guidance=guidance,
            urgent=bool(getattr(appeal, "is_urgent", False)),
            url=url(appeal.number),
            received_iso=dateformat.format(received, "c") if received else "",
            received=dateformat.format(received, short) if received else "",
            channel=_label(appeal, "channel", language),
            author=(
                (appeal.author_name or appeal.author_organisation or "—")
                if show_author
                else withheld
            ),
            topics=[t.name for t in appeal.topics.all()],
            excerpt=_excerpt(appeal.text),
            place_org=(org.name if org is not None else "") or "—",
            place_region=regions.get(appeal.author_region_id, "") or "—",
            state=_label(assignment if assignment is not None else appeal, "state", language),
        )
        if ext is not None:
            row.extension_asked = gettext("+%(days)s days asked") % {"days": localize(ext.days)}
        if due:
            row.due_iso, row.due_text = due.isoformat(), dateformat.format(due, short)
        if days_left is not None:
            row.days_text, row.days_class = _days_text(days_left)
        if guidance is not None:
            row.guidance_iso = guidance.day.isoformat()
            row.guidance_text = dateformat.format(guidance.day, short)
        rows.append(row)
    return rows


def query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


ALL_TAB = "all"


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The landing page: the user's work by tab, with counts, filters and a deadline order."""
    user = request.user
    today = today_local()
    form = WorkspaceFilterForm(request.GET or None, user=user)
    data = form.data_or_empty()
    tabs = workspace_tabs(user, today, data.get("org"))
    if request.GET.get("tab") == ALL_TAB:
        # The dashboards' drill-down (reports): every appeal the user may open, with the
        # filters; offered only when asked for, so the inbox's counts stay the work queues.
        everything = selectors.appeals_visible_to(user)
        if request.GET.get("open") == "1":
            everything = everything.exclude(state__in=FINAL_APPEAL_STATES)
        tabs.append(Tab(ALL_TAB, _("All appeals"), APPEAL, everything))
    base_query = query_without(request, "page", "tab")
    filter_tabs(tabs, data)
    count_tabs(tabs)
    for tab in tabs:
        tab.url = f"?tab={tab.key}" + (f"&{base_query}" if base_query else "")
    requested = request.GET.get("tab")
    current = next((t for t in tabs if t.key == requested), None)
    if current is None:
        current = next((t for t in tabs if t.count), tabs[0])
    ordered: Any = apply_sort(_rows(current, current.qs), current.kind, data.get("sort") or "due")
    if current.key == "routing":
        from murojaat.assist.selectors import UrgentFirst

        # Urgent appeals first, with a same-day clock (assist.selectors.urgent_first's order),
        # read a page at a time off the queue's index instead of sorting every new appeal.
        ordered = UrgentFirst(ordered, prefetch=("topics",))
    paginator = Paginator(ordered, PER_PAGE)
    paginator.count = current.count  # counted for the tab already: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    rows = build_rows(current, list(page.object_list), user, today)
    return render(
        request,
        "appeals/workspace/inbox.html",
        {
            "form": form,
            "tabs": tabs,
            "current": current,
            "page": page,
            "rows": rows,
            "today": today,
            "show_org": current.kind != APPEAL,
            "query_string": query_without(request, "page"),
            "filtering": bool(data and any(v for k, v in data.items() if k != "sort")),
            "watching": watching(user, data.get("org")),
        },
    )


# --- search -------------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Number, author, phone or words of the text"), max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "type": "search",
                "autocomplete": "off",
                "aria-describedby": "q-help",
            }
        )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET or None)
    query = ""
    page: Page[Appeal] | OpenPage | None = None
    rows: list[Row] = []
    capped = False
    total = cap = SEARCH_COUNT_CAP
    count: int | None = None
    if form.is_valid():
        query = (form.cleaned_data.get("q") or "").strip()
    if query:
        matches = narrowed_search(user, query)
        count, capped = capped_count(matches)
        results = (
            matches.select_related("author_region", "author_district", "procedure")
            .prefetch_related("topics")
            .order_by(*search_order(capped))
        )
        if count is None:  # over the count's budget: no total, "next" while rows follow
            page = open_page(
                results, request.GET.get("page"), PER_PAGE, walk=newest_first_is_dense(user)
            )
            total, capped, cap = page.shown, page.more, page.shown
        else:
            paginator = Paginator(results, PER_PAGE)
            paginator.count = total = count
            page = paginator.get_page(request.GET.get("page"))
        today = today_local()
        tab = Tab("search", "", APPEAL, results)
        rows = build_rows(tab, list(page.object_list), user, today)
    return render(
        request,
        "appeals/workspace/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "rows": rows,
            "query_string": query_without(request, "page"),
            "capped": capped,
            "cap": number_format(cap, force_grouping=True),
            "total": total,
            "counted": count is not None,
        },
    )
