"""The demo partners built from the facts files (partners.demo, through core.demo.load_demo)."""

import datetime as dt

import pytest

from core.testing.world import load_demo_data
from core.text import fold
from partners.demo import DOMAIN_SOURCE, Step, When, date_in_words, parse_when, status_history
from partners.models import Interaction, Partner, PartnerAlias, Relationship, RelationshipStatusChange
from partners.resolve import resolve
from partners.services import known_spellings

QUANG_NAM = "quang-nam-legacy"
BAC_GIANG = "bac-giang-legacy"


def relationship(owner_key: str, partner_key: str, kind: str | None = None) -> Relationship:
    found = Relationship.objects.filter(owner__key=owner_key, partner__key=partner_key)
    if kind:
        found = found.filter(kind=kind)
    assert found.count() == 1, f"{owner_key} – {partner_key}: {list(found)}"
    return found.get()


def district_relationship(province_key: str, district: str, partner_key: str) -> Relationship:
    """A relationship held by a legacy district, found by the district's name."""
    return Relationship.objects.get(
        owner__kind="district",
        owner__is_legacy=True,
        owner__root__key=province_key,
        owner__name=district,
        partner__key=partner_key,
    )


def steps(found: Relationship) -> list[tuple[str, dt.date, str]]:
    return [(step.status, step.on, step.precision) for step in found.status_history.order_by("pk")]


@pytest.mark.django_db
def test_quang_nam_relationships_and_their_statuses(demo):
    assert relationship(QUANG_NAM, "la-sekong", "special_friendship").status == "active"
    assert relationship(QUANG_NAM, "la-champasak").status == "active"
    assert relationship(QUANG_NAM, "la-champasak").status_since == dt.date(2007, 1, 1)
    osan = relationship(QUANG_NAM, "kr-osan")
    assert steps(osan) == [("dormant", dt.date(2004, 1, 1), "year"), ("active", dt.date(2011, 1, 1), "year")]
    assert (osan.status, osan.status_since) == ("active", dt.date(2011, 1, 1))
    assert {step.source for step in osan.status_history.all()} == {DOMAIN_SOURCE}
    yongin = relationship(QUANG_NAM, "kr-yongin")
    assert (yongin.status, yongin.status_since) == ("established", dt.date(2013, 4, 1))
    assert yongin.status_history.get().precision == "month"
    suwon = relationship(QUANG_NAM, "kr-suwon")
    assert (suwon.status, suwon.status_since.year) == ("established", 2013)
    assert relationship(QUANG_NAM, "kh-battambang").status == "negotiating"
    assert relationship(QUANG_NAM, "kh-siem-reap").status == "negotiating"
    nord = relationship(QUANG_NAM, "fr-nord-pas-de-calais")
    assert (nord.kind, nord.status) == ("decentralised", "ended")
    assert steps(nord) == [("ended", dt.date(2007, 1, 1), "year")]
    assert relationship(QUANG_NAM, "fr-cotes-darmor").status == "exploring"
    assert relationship(QUANG_NAM, "th-ubon-ratchathani").status == "exploring"
    assert relationship(QUANG_NAM, "by-mogilev").status == "exploring"
    for partner_key in ("hu-szentendre", "de-wernigerode", "us-san-francisco"):
        assert district_relationship(QUANG_NAM, "Hội An", partner_key).status == "negotiating"
    assert district_relationship(QUANG_NAM, "Tam Kỳ", "la-lamam").kind == "twinning"
    assert district_relationship(QUANG_NAM, "Phú Ninh", "la-thateng").kind == "twinning"
    # Two files describe the Suwon MoU (one as the province's, one as its People's Committee's): one relationship.
    assert Relationship.objects.filter(partner__key="kr-suwon").count() == 1
    # The unnamed groups of localities are recorded under the province, their scope in the notes.
    twinning = relationship(QUANG_NAM, "la-sekong", "twinning")
    assert "các huyện giáp biên" in twinning.notes
    association = Relationship.objects.get(partner__key="la-sekong-friendship-association")
    assert (association.owner.key, association.owner.kind) == (f"{QUANG_NAM}.hoi-huu-nghi-viet-lao", "association")
    assert association.owner.is_legacy


@pytest.mark.django_db
def test_bac_giang_relationships_and_their_statuses(demo):
    xaisomboun = relationship(BAC_GIANG, "la-xaisomboun")
    assert steps(xaisomboun) == [("established", dt.date(2021, 8, 9), "day")]
    assert xaisomboun.interactions.get().kind == "signing"
    assert relationship(BAC_GIANG, "jp-gifu").status == "goodwill_exchanged"
    assert relationship(BAC_GIANG, "kr-pohang").status == "dormant"
    assert relationship(BAC_GIANG, "kr-icheon").status == "dormant"
    assert relationship(BAC_GIANG, "kr-daejeon").status == "exploring"
    assert relationship(BAC_GIANG, "pl-lower-silesia").status == "postponed"
    hunan = relationship(BAC_GIANG, "cn-hunan")
    assert (hunan.status, hunan.status_since) == ("postponed", dt.date(2018, 1, 1))
    assert relationship(BAC_GIANG, "cn-guangxi").status == "exploring"
    taizhou = district_relationship(BAC_GIANG, "Bắc Giang", "cn-taizhou-js")
    assert (taizhou.status, taizhou.status_since) == ("established", dt.date(2019, 1, 1))
    school = Relationship.objects.get(partner__key="kr-daejeon-munjeong-school")
    assert school.owner.name == "Trường THCS Lê Quý Đôn"
    assert school.owner.parent.name == "Bắc Giang" and school.owner.parent.kind == "district"
    # The fields written in Vietnamese are found in the catalogue.
    assert set(relationship(BAC_GIANG, "pl-lower-silesia").fields.values_list("code", flat=True)) == {
        "agriculture",
        "tourism",
    }


@pytest.mark.django_db
def test_partners_have_their_place_and_names(demo):
    yongin = Partner.objects.get(key="kr-yongin")
    assert (yongin.country.iso2, yongin.subdivision.code, yongin.level) == ("KR", "KR-41.YONGIN", "city")
    # Not a partner in the facts: no parent, the region in the notes, in Vietnamese.
    assert "Thuộc tỉnh Gyeonggi." in yongin.notes.splitlines()
    assert Partner.objects.get(key="la-lamam").parent.key == "la-sekong"
    assert Partner.objects.get(key="la-sekong").name_vi == "Sê Koong"
    assert Partner.objects.get(key="cn-hekou").name_vi == "Hà Khẩu"  # not the typo "Hà Khâu"
    assert Partner.objects.get(key="int-world-bank").country is None
    assert Partner.objects.get(key="int-foreign-ngos").is_group
    mazda = Partner.objects.get(key="jp-mazda")
    assert mazda.kind == "company" and "Chưa xác nhận được tên chính thức" in mazda.notes


@pytest.mark.django_db
def test_every_spelling_is_an_alias_and_finds_its_partner(demo):
    cases = {
        "Stenzendre": "hu-szentendre",
        "Sê Kông": "la-sekong",
        "Chăm pa sắc": "la-champasak",
        "Chămpasak": "la-champasak",
        "Daejoen": "kr-daejeon",
        "Xây Sôm Bun": "la-xaisomboun",
    }
    for spelling, key in cases.items():
        partner = Partner.objects.get(key=key)
        assert fold(spelling) in known_spellings(partner), spelling
        assert resolve(spelling)[0].partner == partner, spelling
    assert PartnerAlias.objects.get(folded=fold("Stenzendre")).partner.key == "hu-szentendre"
    assert PartnerAlias.objects.get(folded=fold("Sê Kông")).partner.key == "la-sekong"
    assert "Báo cáo" in PartnerAlias.objects.get(folded=fold("Sê Kông")).source  # the document's title


@pytest.mark.django_db
def test_every_status_history_moves_forward(demo):
    assert RelationshipStatusChange.objects.count() >= Relationship.objects.count() > 30
    for found in Relationship.objects.all():
        dates = list(found.status_history.order_by("pk").values_list("on", flat=True))
        assert dates and dates == sorted(dates), found
        latest = found.status_history.order_by("pk").last()
        assert (found.status, found.status_since) == (latest.status, latest.on), found
    for interaction in Interaction.objects.all():
        assert interaction.owner_id == interaction.relationship.owner_id


@pytest.mark.django_db
def test_a_second_run_creates_and_changes_nothing(demo):
    models = (Partner, PartnerAlias, Relationship, RelationshipStatusChange, Interaction)

    def snapshot():
        return {
            "rows": [model._base_manager.count() for model in models],
            "partners": list(Partner.all_objects.order_by("pk").values_list("pk", "version", "search_text", "notes")),
            "relationships": list(
                Relationship.all_objects.order_by("pk").values_list("pk", "version", "status", "status_since", "notes")
            ),
        }

    before = snapshot()
    lines: list[str] = []
    load_demo_data(lines)
    assert snapshot() == before
    assert "created now: partners 0, aliases 0, relationships 0, status steps 0, interactions 0" in lines


def test_dates_as_the_facts_write_them():
    assert parse_when("2013") == When(dt.date(2013, 1, 1), "year", True)
    assert parse_when("2013-04") == When(dt.date(2013, 4, 1), "month", True)
    assert parse_when("2021-08-09") == When(dt.date(2021, 8, 9), "day", True)
    assert parse_when("before 2013-04") == When(dt.date(2013, 4, 1), "month", False)
    assert parse_when("2014 (early)") == When(dt.date(2014, 1, 1), "year", False)
    assert parse_when(None).on is None


def test_dates_as_a_page_writes_them():
    assert date_in_words("2013") == "2013"
    assert date_in_words("2020-02") == "02/2020"
    assert date_in_words("2021-06-01") == "01/06/2021"
    # A date the facts give loosely is in the reviewed words of the translation table.
    assert date_in_words("before 2013-04") == "trước tháng 4/2013"
    assert date_in_words("2014 (early)") == "đầu năm 2014"


def test_status_history_keeps_the_precise_date_and_the_order_of_stages():
    def step(status, on, precision):
        return Step(status, on, precision, "", "")

    history = status_history(
        [
            step("active", dt.date(2013, 1, 1), "year"),
            step("negotiating", dt.date(2013, 1, 1), "year"),
            step("established", dt.date(2013, 1, 1), "year"),
            step("active", dt.date(2014, 1, 1), "year"),
            step("dormant", dt.date(2015, 1, 1), "year"),
            step("dormant", dt.date(2015, 6, 1), "month"),
        ]
    )
    assert [(s.status, s.on, s.precision) for s in history] == [
        ("negotiating", dt.date(2013, 1, 1), "year"),
        ("established", dt.date(2013, 1, 1), "year"),
        ("active", dt.date(2013, 1, 1), "year"),
        ("dormant", dt.date(2015, 6, 1), "month"),
    ]


@pytest.mark.django_db
def test_successors_portfolios_show_the_demo_relationships_as_inherited(client, demo):
    """Đà Nẵng's portfolio carries legacy Quảng Nam's relationships, Bắc Ninh's legacy Bắc Giang's
    (and those of Bắc Giang city, a legacy district), each marked as inherited (issue 3, "Done when")."""
    from accounts.models import User
    from core.testing.world import login

    yongin = Relationship.objects.get(owner__key="quang-nam-legacy", partner__name_en="Yongin City")
    taizhou = Relationship.objects.get(partner__name_en__startswith="Taizhou")
    for username, unit_key, relationship_row in (("danang", "da-nang", yongin), ("bacninh", "bac-ninh", taizhou)):
        login(client, User.objects.get(username=username))
        response = client.get(f"/partners/portfolio/{unit_key}/")
        assert response.status_code == 200
        rows = {row.relationship.pk: row for row in response.context["rows"]}
        assert relationship_row.pk in rows
        assert rows[relationship_row.pk].inherited_from is not None
        assert len(rows) >= 10
