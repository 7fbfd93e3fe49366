"""Load the organisation tree and the administrative units from the committed data file.

The file (`data/organisations.json`) is the source of truth for reference data: regions and
districts are keyed by SOATO code, organisations by their stable `code`. Loading is idempotent:
a second run changes nothing, and a changed file updates exactly the rows whose data changed.
Fields an administrator maintains in the admin (address, phone, e-mail, reception hours) are
written only when the file gives them, so reloading never wipes local edits.

A row that disappears from the file is retired, never deleted (appeals, staff and history refer
to it): an organisation of a kind the file describes becomes inactive (institutions added in
the admin are left alone), a district gets `valid_to` (today). The command
reports both. A district that comes back takes the file's validity again; an organisation that
comes back stays inactive until the file (`"is_active": true`) or an administrator revives it,
since it cannot be told apart from one an administrator closed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from murojaat.core.translit import latin_to_cyrillic

from .models import STAGE_OF_KIND, District, Organisation, Region

DATA_FILE = Path(__file__).resolve().parent / "data" / "organisations.json"
NAME_FIELDS = ("name_uz", "name_uz_cyrl", "name_ru", "name_en")
OPTIONAL_ORG_FIELDS = ("address", "phone", "email", "reception_hours", "is_active")


@dataclass
class LoadStats:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    retired: dict[str, list[str]] = field(default_factory=dict)

    def count(self, bucket: str, model: str) -> None:
        target = getattr(self, bucket)
        target[model] = target.get(model, 0) + 1

    @property
    def changed(self) -> int:
        retired = sum(len(codes) for codes in self.retired.values())
        return sum(self.created.values()) + sum(self.updated.values()) + retired

    def summary(self) -> str:
        parts = []
        for model in ("region", "district", "organisation"):
            part = (
                f"{model}s: {self.created.get(model, 0)} created, "
                f"{self.updated.get(model, 0)} updated, {self.unchanged.get(model, 0)} unchanged"
            )
            if model != "region":
                retired = self.retired.get(model, [])
                part += f", {len(retired)} retired"
                if retired:
                    part += f" ({', '.join(retired)})"
            parts.append(part)
        return "; ".join(parts)


def cyrillic_name(row: dict[str, Any]) -> str:
    """The Uzbek Cyrillic name: from the file, else transliterated from the Latin name.

    Stored rather than computed on display so that a Cyrillic search finds the row in SQL; the
    file gives it by hand only where the transliteration would be wrong.
    """
    return row.get("name_uz_cyrl") or latin_to_cyrillic(row["name_uz"])


def _names(row: dict[str, Any]) -> dict[str, str]:
    return {
        "name_uz": row["name_uz"],
        "name_uz_cyrl": cyrillic_name(row),
        "name_ru": row.get("name_ru", ""),
        "name_en": row.get("name_en", ""),
    }


def _current(obj: Any, name: str) -> Any:
    """A field's value; for a foreign key compare ids, so that no related row is fetched."""
    field = obj._meta.get_field(name)
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        return None if related_id is None else _Ref(related_id)
    return getattr(obj, name)


@dataclass(frozen=True)
class _Ref:
    pk: int

    def __eq__(self, other: object) -> bool:
        return getattr(other, "pk", other) == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)


def _upsert(model: type, key: dict[str, Any], values: dict[str, Any], stats: LoadStats) -> Any:
    """Create the row or update only the fields whose value differs; save only if needed."""
    label = model._meta.model_name
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model(**key, **values)
        obj.save()
        stats.count("created", label)
        return obj
    changed = [name for name, value in values.items() if _current(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        stats.count("updated", label)
    else:
        stats.count("unchanged", label)
    return obj


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def read_data(path: Path | str | None = None) -> dict[str, Any]:
    with open(path or DATA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_orgs(path: Path | str | None = None) -> LoadStats:
    data = read_data(path)
    stats = LoadStats()
    regions: dict[str, Region] = {}
    for row in data["regions"]:
        regions[row["soato"]] = _upsert(
            Region,
            {"soato": row["soato"]},
            {**_names(row), "kind": row["kind"], "centre": row.get("centre", "")},
            stats,
        )
    districts: dict[str, District] = {}
    for row in data["districts"]:
        districts[row["soato"]] = _upsert(
            District,
            {"soato": row["soato"]},
            {
                **_names(row),
                "region": regions[row["region"]],
                "kind": row["kind"],
                "valid_from": _date(row.get("valid_from")),
                "valid_to": _date(row.get("valid_to")),
            },
            stats,
        )
    orgs: dict[str, Organisation] = {}
    for row in data["organisations"]:
        parent_code = row.get("parent")
        if parent_code and parent_code not in orgs:
            orgs[parent_code] = Organisation.objects.get(code=parent_code)
        values: dict[str, Any] = {
            **_names(row),
            "kind": row["kind"],
            "stage": row.get("stage", STAGE_OF_KIND.get(row["kind"])),
            "parent": orgs[parent_code] if parent_code else None,
            "region": regions[row["region"]] if row.get("region") else None,
            "district": districts[row["district"]] if row.get("district") else None,
            "has_virtual_reception_access": row.get("has_virtual_reception_access", False),
        }
        values.update({name: row[name] for name in OPTIONAL_ORG_FIELDS if name in row})
        orgs[row["code"]] = _upsert(Organisation, {"code": row["code"]}, values, stats)
    _retire_missing(data, stats)
    from .tree import bump_tree_version

    bump_tree_version()  # the retirements are queryset updates: no save() bumped for them
    return stats


def _retire_missing(data: dict[str, Any], stats: LoadStats) -> None:
    """Retire the rows the file no longer lists; they stay for what refers to them."""
    listed = {row["soato"] for row in data["districts"]}
    gone = District.objects.exclude(soato__in=listed).filter(valid_to__isnull=True)
    stats.retired["district"] = sorted(gone.values_list("soato", flat=True))
    gone.update(valid_to=timezone.localdate())
    listed = {row["code"] for row in data["organisations"]}
    # Only the kinds the file describes: institutions and other rows added in the admin are the
    # administrators' to close.
    kinds = {row["kind"] for row in data["organisations"]}
    closing = Organisation.objects.exclude(code__in=listed).filter(kind__in=kinds, is_active=True)
    stats.retired["organisation"] = sorted(closing.values_list("code", flat=True))
    closing.update(is_active=False)
