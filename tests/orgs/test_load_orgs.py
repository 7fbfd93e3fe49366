from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from murojaat.orgs import loader
from murojaat.orgs.loader import DATA_FILE, load_orgs
from murojaat.orgs.models import District, Organisation, OrgKind, Region

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    by_kind = {k: Organisation.objects.filter(kind=k).count() for k in OrgKind.values}
    return {"regions": Region.objects.count(), "districts": District.objects.count(), **by_kind}


def snapshot() -> list[tuple]:
    return list(
        Organisation.objects.order_by("code").values_list(
            "code",
            "name_uz",
            "name_uz_cyrl",
            "name_ru",
            "name_en",
            "parent__code",
            "path",
            "stage",
            "region__soato",
            "district__soato",
        )
    )


def test_it_loads_the_whole_country_and_the_ministry() -> None:
    call_command("load_orgs", stdout=StringIO())
    c = counts()
    assert c["regions"] == 14
    assert c["districts"] == 206
    assert c[OrgKind.ASSOCIATION] == 206
    assert c[OrgKind.CENTRE] == 24
    assert c[OrgKind.REGIONAL_DIRECTORATE] == 14
    assert c[OrgKind.INSPECTORATE_DIVISION] == 14
    assert c[OrgKind.MINISTRY] == 1
    assert c[OrgKind.WORKING_GROUP] == 1
    assert c[OrgKind.INSPECTORATE] == 1
    assert c[OrgKind.MAIN_DIRECTORATE] >= 6


def test_loading_twice_changes_nothing() -> None:
    first = load_orgs()
    assert first.changed == 14 + 206 + Organisation.objects.count()
    before, before_counts = snapshot(), counts()
    second = load_orgs()
    assert second.changed == 0
    assert snapshot() == before
    assert counts() == before_counts


def test_the_command_reports_what_it_did() -> None:
    out = StringIO()
    call_command("load_orgs", stdout=out)
    call_command("load_orgs", stdout=out)
    text = out.getvalue()
    assert "districts: 206 created" in text
    assert "districts: 0 created, 0 updated, 206 unchanged" in text


def test_a_changed_file_updates_names_in_place(tmp_path) -> None:
    load_orgs()
    zangiota = Organisation.objects.get(code="tma-1727237")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for row in data["organisations"]:
        if row["code"] == "tma-1727237":
            row["name_en"] = "Zangiota district medical association (renamed)"
    changed = tmp_path / "orgs.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    stats = load_orgs(changed)
    assert stats.updated == {"organisation": 1}
    assert stats.created == {}
    zangiota_after = Organisation.objects.get(code="tma-1727237")
    assert zangiota_after.pk == zangiota.pk
    assert zangiota_after.name_en.endswith("(renamed)")


def test_stage_parent_and_place_follow_the_order_r_p2_1() -> None:
    load_orgs()
    moh = Organisation.objects.get(code="moh")
    assert moh.parent is None
    assert Organisation.objects.get(code="wg").stage == 1
    assert Organisation.objects.get(code="md-treatment").stage == 2
    cardiology = Organisation.objects.get(code="centre-cardiology")
    assert cardiology.stage == 2 and cardiology.has_virtual_reception_access
    assert not Organisation.objects.filter(kind=OrgKind.CENTRE, has_virtual_reception_access=False)
    rd = Organisation.objects.get(code="rd-1727")
    assert rd.stage == 3 and rd.parent == moh and rd.region.soato == "1727"
    zangiota = Organisation.objects.get(code="tma-1727237")
    assert zangiota.stage == 4
    assert zangiota.parent == rd
    assert zangiota.district.soato == "1727237"
    assert zangiota.region.soato == "1727"
    assert zangiota.is_within(moh)
    division = Organisation.objects.get(code="insp-1727")
    assert division.parent.code == "inspectorate"


def test_every_association_hangs_under_its_own_regional_directorate() -> None:
    load_orgs()
    associations = Organisation.objects.filter(kind=OrgKind.ASSOCIATION).select_related(
        "parent", "region", "district"
    )
    for a in associations:
        assert a.parent.kind == OrgKind.REGIONAL_DIRECTORATE
        assert a.parent.region_id == a.region_id == a.district.region_id
    assert associations.filter(region__soato="1726").count() == 12
    assert set(District.objects.values_list("soato", flat=True)) == {
        a.district.soato for a in associations
    }


def test_names_follow_the_1995_alphabet_and_the_naming_pattern() -> None:
    load_orgs()
    for name in Organisation.objects.values_list("name_uz", flat=True):
        assert not set("'‘’`") & set(name), name
    zangiota = Organisation.objects.get(code="tma-1727237")
    assert zangiota.name_uz == "Zangiota tuman tibbiyot birlashmasi"
    assert zangiota.name_ru == "Зангиатинское районное медицинское объединение"
    assert zangiota.name_en == "Zangiota district medical association"
    assert District.objects.get(soato="1730405").name_uz == "Qoʻqon shahri"
    assert Region.objects.get(soato="1735").name_uz == "Qoraqalpogʻiston Respublikasi"
    assert Organisation.objects.get(code="rd-1735").name_en == (
        "Ministry of Health of the Republic of Karakalpakstan"
    )
    assert (
        Organisation.objects.get(code="rd-1726").name_en == "Tashkent City Main Health Directorate"
    )
    for org in Organisation.objects.all():
        assert org.name_uz and org.name_ru and org.name_en, org.code


def test_districts_created_after_the_order_carry_their_validity() -> None:
    load_orgs()
    yangihayot = District.objects.get(soato="1726292")
    assert yangihayot.valid_from == date(2020, 1, 1)
    assert District.objects.get(soato="1727237").valid_from is None


def test_cyrillic_names_are_transliterated_at_load_time(monkeypatch) -> None:
    monkeypatch.setattr(loader, "latin_to_cyrillic", lambda text: f"<cyr>{text}")
    load_orgs()
    assert District.objects.get(soato="1727237").name_uz_cyrl == "<cyr>Zangiota tumani"
    assert (
        Organisation.objects.get(code="tma-1727237").name_uz_cyrl
        == "<cyr>Zangiota tuman tibbiyot birlashmasi"
    )
    # hand-written Cyrillic in the file wins over transliteration
    assert Organisation.objects.get(code="wg").name_uz_cyrl.startswith("Жисмоний")


def test_every_row_is_stored_with_its_cyrillic_name() -> None:
    """Stored, so that a Cyrillic search finds the row in SQL."""
    load_orgs()
    assert District.objects.get(soato="1727237").name_uz_cyrl == "Зангиота тумани"
    assert District.objects.get(soato="1733221").name_uz_cyrl == "Тупроққалъа тумани"
    assert not District.objects.filter(name_uz_cyrl="").exists()
    assert not Organisation.objects.filter(name_uz_cyrl="").exists()


# Districts (tuman) and cities of regional subordination per first-level unit, from the
# reference data (../shared/data/uz-admin-units.md, 2025): 175 districts and 31 cities.
REFERENCE_COUNTS = {
    "1735": (16, 1),
    "1703": (14, 2),
    "1706": (11, 2),
    "1708": (12, 1),
    "1710": (14, 2),
    "1712": (8, 3),
    "1714": (11, 1),
    "1718": (14, 2),
    "1722": (14, 1),
    "1724": (8, 3),
    "1727": (15, 7),
    "1730": (15, 4),
    "1733": (11, 2),
    "1726": (12, 0),
}


def test_each_region_has_the_reference_number_of_districts_and_cities() -> None:
    load_orgs()
    for soato, (districts, cities) in REFERENCE_COUNTS.items():
        units = District.objects.filter(region__soato=soato)
        found = (units.filter(kind="district").count(), units.filter(kind="city").count())
        assert found == (districts, cities), soato
    assert sum(d for d, _ in REFERENCE_COUNTS.values()) == 175
    assert sum(c for _, c in REFERENCE_COUNTS.values()) == 31


def test_districts_formed_after_2017_and_renamed_ones_say_so() -> None:
    load_orgs()
    assert District.objects.get(soato="1733221").valid_from == date(2020, 3, 1)  # Tuproqqalʼa
    assert District.objects.get(soato="1722203").valid_from == date(2019, 1, 1)  # Bandixon
    boston = District.objects.get(soato="1703209")
    assert boston.name_en == "Boʻston district"
    assert Organisation.objects.get(code="tma-1703209").name_en.startswith("Boʻston ")
    rows = {row["soato"]: row for row in json.loads(DATA_FILE.read_text())["districts"]}
    assert "Boz" in rows["1703209"]["note"]


def _without(tmp_path, district: str, org: str):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["districts"] = [r for r in data["districts"] if r["soato"] != district]
    data["organisations"] = [r for r in data["organisations"] if r["code"] != org]
    changed = tmp_path / "orgs.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return changed


def test_rows_that_left_the_file_are_retired_not_deleted(tmp_path) -> None:
    load_orgs()
    local = Organisation.objects.create(
        code="clinic-local", kind=OrgKind.INSTITUTION, name_uz="Klinika", name_en="Clinic"
    )
    # The association goes first: the district is retired but stays for what refers to it.
    stats = load_orgs(_without(tmp_path, "1727249", "tma-1727249"))
    assert stats.retired == {"district": ["1727249"], "organisation": ["tma-1727249"]}
    assert not Organisation.objects.get(code="tma-1727249").is_active
    assert District.objects.get(soato="1727249").valid_to is not None
    assert Organisation.objects.get(pk=local.pk).is_active  # added in the admin: left alone
    assert Organisation.objects.filter(is_active=True).count() == 271
    # Loading the same file again retires nothing more.
    assert load_orgs(_without(tmp_path, "1727249", "tma-1727249")).changed == 0


def test_the_command_names_what_it_retired(tmp_path) -> None:
    load_orgs()
    out = StringIO()
    call_command(
        "load_orgs", "--file", str(_without(tmp_path, "1727249", "tma-1727249")), stdout=out
    )
    text = out.getvalue()
    assert "districts: 0 created, 0 updated, 205 unchanged, 1 retired (1727249)" in text
    assert "1 retired (tma-1727249)" in text


def test_a_district_back_in_the_file_is_valid_again(tmp_path) -> None:
    load_orgs()
    load_orgs(_without(tmp_path, "1727249", "tma-1727249"))
    assert District.objects.get(soato="1727249").valid_to is not None
    load_orgs()
    assert District.objects.get(soato="1727249").valid_to is None


def test_a_changed_parent_in_the_file_moves_the_subtree(tmp_path) -> None:
    load_orgs()
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for row in data["organisations"]:
        if row["code"] == "tma-1727237":
            row["parent"] = "rd-1718"
    changed = tmp_path / "orgs.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_orgs(changed).updated == {"organisation": 1}
    moved = Organisation.objects.get(code="tma-1727237")
    assert moved.is_within(Organisation.objects.get(code="rd-1718"))
    assert load_orgs(changed).changed == 0
