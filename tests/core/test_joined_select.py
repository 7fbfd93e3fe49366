"""The organisation pickers join their <option>s in Python (issue 9: one template per option
was a tenth of the appeal page's CPU); the markup must stay what Django's templates give, so
the pickers' script, the browser tests and screen readers see the same select."""

from __future__ import annotations

import re

import pytest
from django import forms

from murojaat.core.forms import JoinedSelect, JoinedSelectMultiple

CHOICES = [
    ("", "—"),
    ("Main directorates", [(1, "Davolash <bosh> boshqarmasi"), (2, "Onalik & bolalik")]),
    ("Regional directorates", [(3, 'Toshkent "viloyati"'), (4, "Samarqand")]),
    (5, "Loose option"),
]
ATTRS = {"class": "form-select", "data-picker": "list", "data-picker-none": "Hech biri", "size": 6}


def _same_markup(html: str) -> str:
    """Django's templates put newlines and indentation between the tags: not markup."""
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    ("django_widget", "joined_widget", "value"),
    [
        (forms.Select, JoinedSelect, None),
        (forms.Select, JoinedSelect, 3),
        (forms.Select, JoinedSelect, "5"),
        (forms.SelectMultiple, JoinedSelectMultiple, [2, 4]),
        (forms.SelectMultiple, JoinedSelectMultiple, []),
    ],
)
def test_a_joined_select_is_the_markup_djangos_templates_render(
    django_widget: type[forms.Select], joined_widget: type[forms.Select], value: object
) -> None:
    attrs = {"id": "id_to_org", "required": True}
    expected = django_widget(attrs=ATTRS, choices=CHOICES).render("to_org", value, attrs)
    joined = joined_widget(attrs=ATTRS, choices=CHOICES).render("to_org", value, attrs)
    assert _same_markup(joined) == _same_markup(expected)
    assert "&lt;bosh&gt;" in joined and "&amp;" in joined and "&quot;viloyati&quot;" in joined
    if value:
        assert joined.count(" selected>") == (len(value) if isinstance(value, list) else 1)


def test_a_field_keeps_its_joined_widget_when_its_choices_are_grouped() -> None:
    from murojaat.appeals.forms import OrgChoiceField, OrgMultipleChoiceField
    from murojaat.orgs.models import Organisation

    single = OrgChoiceField(queryset=Organisation.objects.none())
    several = OrgMultipleChoiceField(queryset=Organisation.objects.none())
    assert isinstance(single.widget, JoinedSelect)
    assert isinstance(several.widget, JoinedSelectMultiple)
