"""Loads the procedures (R-IN-2) and topics that ship with Murojaat.

Used by the data migration that ships them (and by tests that need the shipped rows); existing
rows are left as the administrator edited them unless `update=True`, because procedures are
meant to be tuned.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "procedures.json"
PLAIN_NAMES = Path(__file__).resolve().parent / "data" / "topic_plain_names.json"


def _known(model: Any, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values for the fields `model` has. The data migration passes the model as it
    was then, and fields added later (with their own migrations) are not on it yet."""
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in row.items() if k != "code" and k in names}


def load_reference(procedure_model: Any, topic_model: Any, *, update: bool = False) -> int:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    changed = 0
    for row in data["procedures"]:
        fields = _known(procedure_model, row)
        if update:
            _, created = procedure_model.objects.update_or_create(code=row["code"], defaults=fields)
        else:
            _, created = procedure_model.objects.get_or_create(code=row["code"], defaults=fields)
        changed += int(created)
    for row in data["topics"]:
        fields = _known(topic_model, row)
        if update:
            _, created = topic_model.objects.update_or_create(code=row["code"], defaults=fields)
        else:
            _, created = topic_model.objects.get_or_create(code=row["code"], defaults=fields)
        changed += int(created)
    load_plain_names(topic_model)
    return changed


def load_plain_names(topic_model: Any) -> int:
    """Issue 13: the citizen's words for the shipped topics, where a topic has none yet (an
    administrator's wording stays); skipped while the model has no such fields (old migrations)."""
    names = {f.name for f in topic_model._meta.get_fields()}
    if "plain_name_uz" not in names:
        return 0
    rows = json.loads(PLAIN_NAMES.read_text(encoding="utf-8"))["topics"]
    filled = 0
    for row in rows:
        fields = _known(topic_model, row)
        filled += topic_model.objects.filter(code=row["code"], plain_name_uz="").update(**fields)
    return filled
