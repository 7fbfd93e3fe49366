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
    return changed
