"""The words a citizen reads about their appeal, in one place (issue 13).

The office's labels ("Closed (removed from control)", "Sent for execution") name the office's
steps; the author needs to know what happened to their appeal and what comes next. Every page
and list shown to an author takes a state's label and a history step's sentence from here, so
the two never drift apart. The steps themselves, and what of them an author may read, come from
murojaat.appeals.selectors.citizen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from murojaat.appeals.deadlines import Due
from murojaat.appeals.models import AppealState, EventKind
from murojaat.appeals.selectors.citizen import AuthorStep

STATE_LABELS: dict[str, Any] = {
    AppealState.NEW: gettext_lazy("Received: being sent to the organisation that will answer"),
    AppealState.IN_WORK: gettext_lazy("Being considered"),
    AppealState.ANSWER_READY: gettext_lazy("Answer prepared: it will be sent to you shortly"),
    AppealState.SENT_TO_SOURCE: gettext_lazy("Answered"),
    AppealState.CLOSED: gettext_lazy("Answered"),
    AppealState.RETURNED_TO_SOURCE: gettext_lazy(
        "Returned to the Virtual Reception: the question is outside the ministry's remit"
    ),
    AppealState.LEFT_WITHOUT_CONSIDERATION: gettext_lazy("Not considered"),
    AppealState.TERMINATED: gettext_lazy("Consideration stopped"),
    AppealState.MERGED: gettext_lazy("Joined with another appeal on the same question"),
}

# How a state looks (Bootstrap badge class): finished well, finished otherwise, under way.
STATE_TONES: dict[str, str] = {
    AppealState.SENT_TO_SOURCE: "text-bg-success",
    AppealState.CLOSED: "text-bg-success",
    AppealState.RETURNED_TO_SOURCE: "text-bg-secondary",
    AppealState.LEFT_WITHOUT_CONSIDERATION: "text-bg-secondary",
    AppealState.TERMINATED: "text-bg-secondary",
    AppealState.MERGED: "text-bg-secondary",
}

RATING_LABELS: dict[int, Any] = {
    5: gettext_lazy("5: fully satisfied"),
    4: gettext_lazy("4: satisfied"),
    3: gettext_lazy("3: partly satisfied"),
    2: gettext_lazy("2: not satisfied"),
    1: gettext_lazy("1: not satisfied at all"),
}

TERMINATION_WORDS: dict[str, Any] = {
    "withdrawn": gettext_lazy("You withdrew the appeal."),
    "unreachable": gettext_lazy("Consideration was stopped: you could not be reached."),
    "death": gettext_lazy("Consideration was stopped."),
    "repeated": gettext_lazy(
        "Consideration was stopped: the same question was already answered to you."
    ),
}


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, STATE_LABELS[AppealState.IN_WORK]))


def state_tone(state: str) -> str:
    return STATE_TONES.get(state, "text-bg-primary")


def _date(day: date | None) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


def _extended(s: AuthorStep) -> str:
    text = _("The deadline was extended to %(date)s.") % {"date": _date(s.due)}
    reason = s.reason or _("more time was needed to check the facts")
    return f"{text} {_('Reason: %(reason)s') % {'reason': reason}}"


_STEPS: dict[str, Callable[[AuthorStep], str]] = {
    EventKind.REGISTERED: lambda s: _("Your appeal was registered."),
    EventKind.ROUTED: lambda s: _("Sent to %(org)s to consider and answer.") % {"org": s.org},
    "helping": lambda s: _("%(org)s was asked to help prepare the answer.") % {"org": s.org},
    EventKind.FORWARDED: lambda s: (
        _("Passed on to %(org)s, which deals with it directly.") % {"org": s.org}
    ),
    EventKind.RETURNED: lambda s: (
        _(
            "%(org)s found that the question is for another organisation: the appeal is being sent "
            "to the right one."
        )
        % {"org": s.org}
    ),
    EventKind.EXTENSION_APPROVED: _extended,
    EventKind.DEADLINES_MOVED: lambda s: (
        _("The due date moved to %(date)s: the official calendar of days off changed.")
        % {"date": _date(s.due)}
    ),
    EventKind.ANSWER_SENT: lambda s: _("The answer was sent to you."),
    EventKind.CLOSED: lambda s: _("Consideration finished."),
    EventKind.RETURNED_TO_SOURCE: lambda s: _(
        "Returned to the Virtual Reception: the question is outside the ministry's remit."
    ),
    EventKind.LEFT_WITHOUT_CONSIDERATION: lambda s: _(
        "The appeal was not considered on its merits (for example, the author or a way to "
        "reach them is missing)."
    ),
    EventKind.TERMINATED: lambda s: str(
        TERMINATION_WORDS.get(s.ground, TERMINATION_WORDS["death"])
    ),
    EventKind.MERGED: lambda s: _(
        "Joined with another appeal on the same question: one answer covers both."
    ),
    EventKind.RATED: lambda s: (
        _("You rated the answer: %(rating)s.")
        % {"rating": RATING_LABELS.get(s.rating or 0, s.rating)}
    ),
    EventKind.REVIEW_REQUESTED: lambda s: _("You asked for the answer to be reviewed."),
    EventKind.REVIEW_TAKEN: lambda s: (
        _("Your request was accepted: the answer is being corrected, due by %(date)s.")
        % {"date": _date(s.due)}
    ),
    EventKind.REVIEW_CLOSED: lambda s: _(
        "The working group replied to your request: see its reply below."
    ),
}


def step_text(step: AuthorStep) -> str:
    """The step in one plain sentence; a kind without words is never shown."""
    phrase = _STEPS.get(step.kind)
    return phrase(step) if phrase is not None else ""


def due_reason(due: Due) -> str:
    """Why the due date is what it is, in a sentence: the rule, its start, any extension."""
    text = _("Counted from %(start)s: %(rule)s.") % {
        "rule": due.rule.describe(),
        "start": _date(due.start),
    }
    if due.extended_days:
        text += " " + ngettext(
            "Extended by %(days)d day.", "Extended by %(days)d days.", due.extended_days
        ) % {"days": due.extended_days}
    return text
