"""The author's region and district on every form that registers an appeal: the clerk's
registration form and the citizen's public form ask them the same way, so a district always
belongs to its region whichever door the appeal came through (issue 3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import District


def district_choices() -> list[Any]:
    """Districts grouped under their region (one <optgroup> each), so a long list stays
    scannable and a script can show only the chosen region's group."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for district in District.objects.select_related("region").order_by("region", "soato"):
        groups.setdefault(district.region.name, []).append((district.pk, district.name))
    return [("", "—"), *groups.items()]


def district_in_region(
    form: forms.Form, data: dict[str, Any], region_name: str, district_name: str
) -> None:
    """A district implies its region; a district of another region is refused by its field.

    Replaces the district's pk in `data` by the District, and fills the region from it when
    the region was left empty."""
    pk = data.get(district_name)
    if pk is None:
        return
    district = District.objects.filter(pk=pk).select_related("region").first()
    if district is None:
        form.add_error(district_name, _("Choose a district from the list."))
        return
    data[district_name] = district
    region = data.get(region_name)
    if region is None:
        data[region_name] = district.region
    elif district.region_id != region.pk:
        form.add_error(district_name, _("This district is not in the chosen region."))
