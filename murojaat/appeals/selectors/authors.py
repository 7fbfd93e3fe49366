"""L-6 "the same author wrote before", on the normalised author keys (murojaat.core.identity).

One rule for every reader: the registration's repeat check (`services.intake`), the duplicate
finder (`murojaat.assist`) and the appeal page's link all match an author by phone (E.164),
else e-mail (case-folded), else name and address (script- and case-folded), so
"+998 90 123-45-67" and "+998901234567" are one person wherever it is asked.

The page's link is a read like any other: it names only an appeal the viewer may open
(`appeals_visible_to`), and nothing at all where the author's details are withheld from the
viewer (L-10) — on this appeal, because the link itself says who wrote it, and on the earlier
one, because the link would tie a withheld author to this letter.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from murojaat.accounts.models import User

from ..models import Appeal
from . import appeals_visible_to, withheld_from


def same_author_q(appeal: Appeal) -> Q | None:
    """The appeals by the same author as `appeal` as a query on the indexed keys: phone, else
    e-mail, else name and address; None when the appeal names no one to match."""
    if appeal.author_phone_key:
        return Q(author_phone_key=appeal.author_phone_key)
    if appeal.author_email_key:
        return Q(author_email_key=appeal.author_email_key)
    if appeal.author_name_key:
        return Q(author_name_key=appeal.author_name_key)
    return None


def same_author(a: Appeal, b: Appeal) -> bool:
    """`same_author_q` for two appeals in hand (the duplicate finder compares its pool)."""
    if a.author_phone_key and b.author_phone_key:
        return a.author_phone_key == b.author_phone_key
    if a.author_email_key and b.author_email_key:
        return a.author_email_key == b.author_email_key
    return bool(a.author_name_key) and a.author_name_key == b.author_name_key


def earlier_of_author(appeal: Appeal, among: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The author's appeals received up to this one (not itself), newest first, within `among`
    (one probe of the partial index per key, see Appeal.Meta.indexes)."""
    match = same_author_q(appeal)
    if match is None:
        return among.none()
    qs = among.filter(match, received_at__lte=appeal.received_at)
    if appeal.pk is not None:
        qs = qs.exclude(pk=appeal.pk)
    return qs.order_by("-received_at", "-pk")


def earlier_appeal_shown_to(user: User, appeal: Appeal, *, shows_author: bool) -> Appeal | None:
    """The appeal page's link (L-6): the author's latest earlier appeal that `user` may open
    and whose author `user` may see; None where this appeal's author is withheld from them
    (`shows_author` is `can_see_personal_data(user, appeal)`, already computed by the page)."""
    if not shows_author:
        return None
    qs = earlier_of_author(appeal, appeals_visible_to(user))
    withheld = withheld_from(user)
    if withheld is not None:
        qs = qs.exclude(withheld)
    return qs.only("pk", "number", "received_at").first()
