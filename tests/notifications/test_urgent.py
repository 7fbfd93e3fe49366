"""Issue 14 §2 meets issue 11 §1: an appeal flagged urgent at intake tells the working group at
once (in the application, and by e-mail as each member chose), with the words that triggered
the flag; an appeal that merely sounds alarming tells no one."""

from __future__ import annotations

from murojaat.appeals.models import EventKind
from murojaat.appeals.permissions import WG_ROLES
from murojaat.notifications.models import Channel, Kind, Notification
from tests.appeals.helpers import register
from tests.factories import Ministry

URGENT = "Otam hushidan ketdi, tez yordam chaqirdik, ikki soat kutdik, tez yordam kelmadi."
PLAIN = "Poliklinikada shifokor qabul qilmadi, navbat uch kun, dahshatli shifokor."


def test_an_urgent_appeal_tells_the_working_group_and_no_one_else(ministry: Ministry) -> None:
    appeal = register(text=URGENT, actor=ministry.wg_member)
    event = appeal.events.get(kind=EventKind.URGENT_FLAGGED)
    rows = Notification.objects.filter(kind=Kind.URGENT, appeal=appeal)
    in_app = {n.user for n in rows if n.channel == Channel.IN_APP}
    assert ministry.wg_member in in_app
    # R-P3-5: nobody outside the working group hears of an appeal not yet routed.
    assert all(u.role_grants.filter(role__in=WG_ROLES).exists() for u in in_app)
    note = rows.filter(user=ministry.wg_member, channel=Channel.IN_APP).get()
    assert "kelmadi" in note.body and appeal.number in note.subject
    assert note.event == event


def test_an_alarming_but_not_urgent_appeal_tells_no_one(ministry: Ministry) -> None:
    appeal = register(text=PLAIN, author_phone="+998901111111")
    assert not Notification.objects.filter(kind=Kind.URGENT, appeal=appeal).exists()
