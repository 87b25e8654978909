"""Import and export of partners, spellings, relationships, interactions and contacts (issue 3, item 7)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.models import Field
from core.records import Importer
from core.tabular import read_table
from partners.models import Partner, PartnerAlias, Relationship
from partners.registries import CONTACTS, INTERACTIONS, PARTNER_ALIASES, PARTNERS, RELATIONSHIPS
from partners.testing.factories import ContactFactory, InteractionFactory, PartnerFactory, RelationshipFactory, country

pytestmark = pytest.mark.django_db


def _plan(record_type, user, headers, rows):
    return Importer(record_type, user).plan(headers, rows)


def test_partners_import_with_parent_fields_and_country_by_code(world):
    country("KR")
    Field.objects.create(code="culture", name_vi="Văn hóa", name_en="Culture")
    Field.objects.create(code="investment", name_vi="Đầu tư", name_en="Investment")
    headers = ["key", "owner", "kind", "level", "name_vi", "name_en", "country", "parent", "fields"]
    rows = [
        ["kr-gyeonggi", "da-nang", "locality", "province", "Gyeonggi", "Gyeonggi Province", "KR", "", "investment"],
        [
            "kr-yongin",
            "da-nang",
            "locality",
            "city",
            "Yongin",
            "Yongin City",
            "KR",
            "kr-gyeonggi",
            "culture; investment",
        ],
    ]
    importer = Importer(PARTNERS, world.province_editor)
    # The parent is in the same file: the first row must exist before the second is read.
    plan = importer.plan(headers, rows[:1])
    assert importer.commit(plan) == (1, 0)
    plan = importer.plan(headers, rows)
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.unchanged == [2], "the first row is the partner as stored: nothing to write"
    assert importer.commit(plan) == (1, 0)
    yongin = Partner.objects.get(key="kr-yongin")
    assert yongin.parent.key == "kr-gyeonggi"
    assert set(yongin.fields.values_list("code", flat=True)) == {"culture", "investment"}


def test_partner_import_refuses_a_missing_country_and_another_provinces_owner(world):
    headers = ["owner", "kind", "level", "name_vi", "country"]
    rows = [["da-nang", "locality", "city", "Yongin", ""], ["bac-ninh", "locality", "city", "Suwon", "KR"]]
    country("KR")
    plan = _plan(PARTNERS, world.province_editor, headers, rows)
    lines = [error.contract_line() for error in plan.errors]
    assert any(line.startswith(f"row 2, column {PARTNERS.header('country')}") for line in lines), lines
    assert any(line.startswith(f"row 3, column {PARTNERS.header('owner')}") for line in lines), lines
    assert not Partner.objects.exists()


def test_aliases_import_by_partner_key_and_refuse_a_spelling_of_another_partner(world):
    sekong = PartnerFactory(owner=world.danang, key="la-sekong")
    other = PartnerFactory(owner=world.danang, key="la-champasak")
    PartnerAlias.objects.create(partner=other, name="Chăm pa sắc")
    headers = ["partner", "name", "language", "source"]
    bad = _plan(PARTNER_ALIASES, world.province_editor, headers, [["la-sekong", "Chăm-pa-sắc", "vi", "x"]])
    assert [error.row for error in bad.errors] == [2]
    importer = Importer(PARTNER_ALIASES, world.province_editor)
    plan = importer.plan(headers, [["la-sekong", "Sê Koong", "vi", "Báo cáo 2013"]])
    assert importer.commit(plan) == (1, 0)
    sekong.refresh_from_db()
    assert sekong.aliases.get().name == "Sê Koong"
    # Another province's editor may not add spellings to a partner Đà Nẵng keeps.
    refused = _plan(PARTNER_ALIASES, world.other_editor, headers, [["la-sekong", "Xekong", "en", ""]])
    assert not refused.ok


def test_relationships_import_opens_the_status_history(world):
    partner = PartnerFactory(owner=world.danang, key="kr-osan")
    headers = ["owner", "partner", "kind", "status", "status_since"]
    importer = Importer(RELATIONSHIPS, world.province_editor)
    plan = importer.plan(headers, [["quang-nam-legacy", "kr-osan", "cooperation", "active", "01/01/2011"]])
    assert plan.ok, [str(e) for e in plan.errors]
    assert importer.commit(plan) == (1, 0)
    relationship = Relationship.objects.get(partner=partner)
    assert list(relationship.status_history.values_list("status", "on")) == [("active", dt.date(2011, 1, 1))]
    # The same row again updates by (owner, partner, kind); a step back in time is refused.
    plan = importer.plan(headers, [["quang-nam-legacy", "kr-osan", "cooperation", "dormant", "01/01/2004"]])
    assert plan.ok
    with pytest.raises(ValidationError) as error:  # the service refuses it; nothing is written
        importer.commit(plan)
    assert "status_since" in error.value.message_dict
    assert relationship.status_history.count() == 1


@pytest.mark.parametrize(
    ("record_type", "factory"),
    [
        (PARTNERS, PartnerFactory),
        (RELATIONSHIPS, RelationshipFactory),
        (INTERACTIONS, InteractionFactory),
        (CONTACTS, ContactFactory),
    ],
    ids=["partners", "relationships", "interactions", "contacts"],
)
def test_export_then_import_round_trip_changes_nothing(tmp_path, world, record_type, factory):
    records = [factory(owner=world.danang) for _ in range(3)]
    path = tmp_path / "out.csv"
    call_command("export_records", record_type.slug, "--unit", "da-nang", "--format", "csv", "-o", str(path))
    headers, rows = read_table(path.read_bytes(), "csv")
    assert len(rows) == len(records)
    importer = Importer(record_type, world.province_editor)
    plan = importer.plan(headers, rows)
    assert plan.ok, [str(e) for e in plan.errors]
    assert (len(plan.creates), len(plan.updates), len(plan.unchanged)) == (0, 0, 3)
    before = {row.pk: row.version for row in record_type.model.objects.all()}
    importer.commit(plan)
    assert {row.pk: row.version for row in record_type.model.objects.all()} == before


def test_aliases_export_by_unit(tmp_path, world):
    partner = PartnerFactory(owner=world.quangnam)
    PartnerAlias.objects.create(partner=partner, name="Sê Koong")
    PartnerAlias.objects.create(partner=PartnerFactory(owner=world.bacninh), name="Pohang")
    path = tmp_path / "aliases.csv"
    call_command("export_records", "partner-aliases", "--unit", "da-nang", "--format", "csv", "-o", str(path))
    headers, rows = read_table(path.read_bytes(), "csv")
    assert [row[headers.index(PARTNER_ALIASES.header("name"))] for row in rows] == ["Sê Koong"]


def test_list_filters(client, world):
    from core.testing.world import login

    laos = country("LA", "Lào", "Laos")
    sekong = PartnerFactory(owner=world.quangnam, country=laos, level="province", name_vi="Sê Koong")
    RelationshipFactory(owner=world.quangnam, partner=sekong, status="active", status_since=dt.date(2013, 1, 1))
    RelationshipFactory(owner=world.bacninh, status="dormant", status_since=dt.date(2017, 1, 1))
    login(client, world.viewer)

    def shown(url, params):
        return {row.pk for row in client.get(url, params).context["table"].data}

    assert shown("/partners/", {"country": "lao"}) == {sekong.pk}
    assert shown("/partners/", {"country": "LA", "level": "province", "status": "active"}) == {sekong.pk}
    assert shown("/partners/", {"unit": "da-nang", "year": "2013"}) == {sekong.pk}
    assert shown("/relationships/", {"country": "LA", "year": "2013"}) == set(
        Relationship.objects.filter(partner=sekong).values_list("pk", flat=True)
    )
    assert shown("/relationships/", {"year": "2017"}) == set()  # Bắc Ninh's is out of the viewer's scope
    assert client.get("/partners/", {"year": "abc", "country": "\x00"}).status_code == 200
