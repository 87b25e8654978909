"""Services and model rules of the partners app: status history, merging, spellings, bad input."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from core.models import AuditEntry, Country, ForeignSubdivision
from partners.models import Partner, PartnerAlias, Relationship
from partners.services import partner_add_alias, partner_merge, relationship_change_status
from partners.testing.factories import (
    ContactFactory,
    InteractionFactory,
    PartnerFactory,
    RelationshipFactory,
    country,
)

pytestmark = pytest.mark.django_db


def test_partner_needs_a_country_unless_international_or_a_group(world):
    partner = Partner(owner=world.danang, kind="locality", level="city", name_vi="Yongin")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "country" in error.value.message_dict
    Partner(owner=world.danang, kind="international_organisation", name_en="ASEAN").full_clean()
    Partner(owner=world.danang, kind="ngo", is_group=True, name_vi="Các tổ chức PCPNN").full_clean()


def test_subdivision_of_another_country_is_refused(world):
    laos = Country.objects.create(iso2="LA", name_en="Laos", name_vi="Lào")
    xekong = ForeignSubdivision.objects.create(code="LA-XE", country=laos, name="Xékong", name_vi="Sê Kông")
    partner = Partner(owner=world.danang, kind="locality", level="city", name_vi="Yongin", country=country())
    partner.subdivision = xekong
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "subdivision" in error.value.message_dict
    assert "Lào" in error.value.message_dict["subdivision"][0]


def test_parent_must_not_make_a_loop(world):
    gyeonggi = PartnerFactory(owner=world.danang, level="province")
    yongin = PartnerFactory(owner=world.danang, parent=gyeonggi)
    gyeonggi.parent = yongin
    with pytest.raises(ValidationError) as error:
        gyeonggi.full_clean()
    assert "parent" in error.value.message_dict


def test_key_is_made_from_the_country_and_name_and_kept_unique(world):
    first = Partner(owner=world.danang, kind="locality", level="city", name_en="Yongin City", country=country())
    first.full_clean()
    first.save()
    second = Partner(owner=world.danang, kind="locality", level="city", name_en="Yongin City", country=country())
    second.full_clean()
    assert (first.key, second.key) == ("kr-yongin-city", "kr-yongin-city-2")


def test_a_spelling_of_another_partner_is_refused(world):
    suwon = PartnerFactory(owner=world.danang)
    osan = PartnerFactory(owner=world.danang)
    PartnerAlias.objects.create(partner=suwon, name="Su-won")
    with pytest.raises(ValidationError) as error:
        partner_add_alias(partner=osan, user=world.province_editor, name="SUWON ")
    assert str(suwon) in error.value.message_dict["name"][0]
    # The same spelling on the same partner is not added twice, and is not an error.
    assert partner_add_alias(partner=suwon, user=world.province_editor, name="Su won") is None
    assert suwon.aliases.count() == 1


def test_adding_a_spelling_makes_it_searchable_and_is_audited(world):
    szentendre = PartnerFactory(owner=world.danang, name_en="Szentendre")
    partner_add_alias(partner=szentendre, user=world.province_editor, name="Stenzendre", source="Báo cáo 2013")
    szentendre.refresh_from_db()
    assert "stenzendre" in szentendre.search_text
    assert AuditEntry.objects.filter(verb="partner_add_alias", object_pk=str(szentendre.pk)).exists()


def test_adding_a_spelling_out_of_scope_is_refused(world):
    partner = PartnerFactory(owner=world.bacninh)
    with pytest.raises(PermissionDenied):
        partner_add_alias(partner=partner, user=world.province_editor, name="Other")
    assert not partner.aliases.exists()


def test_status_history_moves_forward_only(world):
    relationship = RelationshipFactory(owner=world.danang, status="established", status_since=dt.date(2013, 4, 1))
    with pytest.raises(ValidationError) as error:
        relationship_change_status(
            relationship=relationship, user=world.province_editor, status="dormant", on=dt.date(2012, 1, 1)
        )
    assert "01/04/2013" in error.value.message_dict["on"][0]
    relationship.refresh_from_db()
    assert relationship.status == "established" and relationship.status_history.count() == 1
    relationship_change_status(
        relationship=relationship, user=world.province_editor, status="dormant", on=dt.date(2016, 1, 1)
    )
    relationship.refresh_from_db()
    assert (relationship.status, relationship.status_since) == ("dormant", dt.date(2016, 1, 1))
    assert list(relationship.status_history.values_list("status", flat=True)) == ["established", "dormant"]
    assert AuditEntry.objects.filter(verb="relationship_change_status").count() == 1


def test_status_change_refuses_an_unknown_status_and_other_scopes(world):
    relationship = RelationshipFactory(owner=world.danang)
    with pytest.raises(ValidationError):
        relationship_change_status(
            relationship=relationship, user=world.province_editor, status="nonsense", on=dt.date(2020, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        relationship_change_status(
            relationship=relationship, user=world.other_editor, status="dormant", on=dt.date(2020, 1, 1)
        )


def test_editing_the_status_in_the_form_adds_a_dated_step_and_refuses_going_back(client, world):
    from core.testing.world import login

    relationship = RelationshipFactory(owner=world.danang, status="negotiating", status_since=dt.date(2013, 1, 1))
    login(client, world.province_editor)
    url = f"/relationships/{relationship.pk}/edit/"
    data = {
        "owner": world.danang.pk,
        "partner": relationship.partner.pk,
        "kind": relationship.kind,
        "status": "established",
        "status_since": "01/04/2012",
        "version": relationship.version,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "status_since" in response.context["form"].errors
    relationship.refresh_from_db()
    assert relationship.status == "negotiating" and relationship.status_history.count() == 1
    response = client.post(url, {**data, "status_since": "01/04/2013"})
    assert response.status_code == 302
    assert list(relationship.status_history.values_list("status", "on")) == [
        ("negotiating", dt.date(2013, 1, 1)),
        ("established", dt.date(2013, 4, 1)),
    ]


def test_merge_moves_every_link_and_keeps_the_names_as_spellings(world):
    kept = PartnerFactory(owner=world.danang, name_en="Szentendre", name_vi="Xen-ten-đrê")
    duplicate = PartnerFactory(owner=world.danang, name_en="Stenzendre", name_vi="Thành phố Stenzendre")
    PartnerAlias.objects.create(partner=duplicate, name="Sentendre", source="Báo cáo 2012")
    child = PartnerFactory(owner=world.danang, parent=duplicate)
    contact = ContactFactory(owner=world.danang, partner=duplicate)
    moved = RelationshipFactory(owner=world.quangnam, partner=duplicate, kind="twinning")
    twin_kept = RelationshipFactory(owner=world.danang, partner=kept, kind="cooperation")
    twin_removed = RelationshipFactory(owner=world.danang, partner=duplicate, kind="cooperation")
    interaction = InteractionFactory(owner=world.danang, relationship=twin_removed)

    partner_merge(keep=kept, remove=duplicate, user=world.province_editor)

    duplicate = Partner.all_objects.get(pk=duplicate.pk)
    assert duplicate.deleted_at is not None and duplicate.merged_into == kept
    for row in (child, contact, moved):
        row.refresh_from_db()
    assert child.parent == kept and contact.partner == kept and moved.partner == kept
    interaction.refresh_from_db()
    assert interaction.relationship == twin_kept
    assert Relationship.all_objects.get(pk=twin_removed.pk).deleted_at is not None
    assert set(kept.aliases.values_list("name", flat=True)) == {"Stenzendre", "Thành phố Stenzendre", "Sentendre"}
    entry = AuditEntry.objects.get(verb="partner_merge")
    assert entry.detail["removed"] == duplicate.pk
    assert duplicate.history.first().history_change_reason == "merge"
    assert moved.history.first().history_change_reason == "merge"


def test_merge_into_itself_or_out_of_scope_is_refused(world):
    partner = PartnerFactory(owner=world.danang)
    other = PartnerFactory(owner=world.bacninh)
    with pytest.raises(ValidationError):
        partner_merge(keep=partner, remove=partner, user=world.province_editor)
    with pytest.raises(PermissionDenied):
        partner_merge(keep=partner, remove=other, user=world.province_editor)
    assert Partner.objects.filter(pk=other.pk).exists()


def test_merge_and_aliases_through_the_api(world):
    kept = PartnerFactory(owner=world.danang)
    duplicate = PartnerFactory(owner=world.danang)
    api = APIClient()
    api.force_authenticate(world.province_editor)
    assert api.post(f"/api/v1/partners/{kept.pk}/merge/", {"remove": kept.key}, format="json").status_code == 400
    assert api.post(f"/api/v1/partners/{kept.pk}/merge/", {}, format="json").status_code == 400
    response = api.post(f"/api/v1/partners/{kept.pk}/merge/", {"remove": duplicate.key}, format="json")
    assert response.status_code == 200, response.json()
    assert duplicate.name_en in [alias["name"] for alias in response.json()["aliases"]]
    response = api.post(f"/api/v1/partners/{kept.pk}/aliases/", {"name": "Yong-in"}, format="json")
    assert response.status_code == 201
    assert api.post(f"/api/v1/partners/{kept.pk}/aliases/", {"name": ""}, format="json").status_code == 400


def test_status_change_through_the_api(world):
    relationship = RelationshipFactory(owner=world.danang, status_since=dt.date(2013, 4, 1))
    api = APIClient()
    api.force_authenticate(world.province_editor)
    url = f"/api/v1/relationships/{relationship.pk}/change-status/"
    refused = api.post(url, {"status": "dormant", "on": "2010-01-01"}, format="json")
    assert refused.status_code == 400 and "on" in refused.json()
    assert api.post(url, {"status": "dormant", "on": "not a date"}, format="json").status_code == 400
    done = api.post(url, {"status": "dormant", "on": "2016-01-01"}, format="json")
    assert done.status_code == 200
    assert [step["status"] for step in done.json()["status_history"]] == ["established", "dormant"]
    api.force_authenticate(world.other_editor)
    assert api.post(url, {"status": "active", "on": "2017-01-01"}, format="json").status_code == 404


def test_contacts_are_masked_for_those_who_may_not_see_them(client, world):
    from core.testing.world import login

    contact = ContactFactory(owner=world.danang)
    api = APIClient()
    api.force_authenticate(world.viewer)
    shown = api.get(f"/api/v1/contacts/{contact.pk}/").json()
    assert shown["email"] == "•••" and shown["person_name"] == contact.person_name
    api.force_authenticate(world.personal_data_officer)
    assert api.get(f"/api/v1/contacts/{contact.pk}/").json()["email"] == contact.email
    login(client, world.viewer)
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert contact.email not in page and "•••" in page
    export = client.get("/contacts/", {"export": "csv"}).content.decode("utf-8-sig")
    assert contact.email not in export and contact.phone not in export
    login(client, world.province_editor)
    assert contact.email in client.get(f"/contacts/{contact.pk}/").content.decode()
    # Every unmasked view is audited, whatever the surface (issue 17): the officer's API answer and the page.
    entries = AuditEntry.objects.filter(action="view_personal", object_pk=str(contact.pk)).order_by("pk")
    assert [(entry.username, entry.detail["surface"]) for entry in entries] == [
        ("personal_data_officer", "api"),
        ("province_editor", "page"),
    ]


def test_a_new_partner_with_a_known_name_is_flagged_as_a_likely_duplicate(client, world):
    from core.testing.world import login

    existing = PartnerFactory(owner=world.danang, name_en="Yongin", name_vi="Yongin")
    login(client, world.province_editor)
    data = {"owner": world.danang.pk, "kind": "locality", "level": "city", "name_vi": "Yongin", "country": country().pk}
    response = client.post("/partners/add/", data)
    assert response.status_code == 400
    assert str(existing) in response.content.decode()
    assert client.post("/partners/add/", {**data, "not_a_duplicate": "on"}).status_code == 302


def test_partner_form_saves_its_spellings_and_refuses_a_taken_one(client, world):
    from core.testing.world import login

    other = PartnerFactory(owner=world.danang)
    PartnerAlias.objects.create(partner=other, name="Chăm pa sắc")
    login(client, world.province_editor)
    data = {
        "owner": world.danang.pk,
        "kind": "locality",
        "level": "province",
        "name_vi": "Chămpasắc",
        "country": country("LA", "Lào", "Laos").pk,
        "not_a_duplicate": "on",
        "aliases-TOTAL_FORMS": "2",
        "aliases-INITIAL_FORMS": "0",
        "aliases-0-name": "Chăm pa sắc",
        "aliases-0-language": "vi",
        "aliases-1-name": "Champasak",
        "aliases-1-language": "en",
    }
    response = client.post("/partners/add/", data)
    assert response.status_code == 400
    assert not Partner.objects.filter(name_vi="Chămpasắc").exists()
    response = client.post("/partners/add/", {**data, "aliases-0-name": "Tỉnh Chămpasắc"})
    assert response.status_code == 302
    partner = Partner.objects.get(name_vi="Chămpasắc")
    assert set(partner.aliases.values_list("name", flat=True)) == {"Tỉnh Chămpasắc", "Champasak"}
    assert "champasak" in partner.search_text


def test_partner_choice_type_ahead_finds_any_spelling(client, world):
    from core.testing.world import login

    sekong = PartnerFactory(owner=world.bacninh, name_vi="Sê Koong", name_en="Xekong Province")
    login(client, world.viewer)
    response = client.get("/partners/options/", {"partner_query": "se kong"})
    assert response.status_code == 200
    assert f'value="{sekong.pk}"' in response.content.decode()
    assert client.get("/partners/options/", {"partner_query": "\x00" * 5000}).status_code == 200
    login(client, world.nobody)
    assert f'value="{sekong.pk}"' not in client.get("/partners/options/", {"partner_query": "se kong"}).content.decode()


def test_an_attachment_with_a_state_secret_stamp_is_refused(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.testing.world import login
    from partners.models import Interaction

    relationship = RelationshipFactory(owner=world.danang)
    login(client, world.province_editor)
    data = {"relationship": relationship.pk, "on": "15/06/2013", "precision": "day", "kind": "letter_sent"}
    secret = SimpleUploadedFile("thu.txt", "TỐI MẬT\nNội dung thư".encode(), content_type="text/plain")
    response = client.post(
        "/interactions/add/", {**data, "summary": "Thư", "attachment": secret, "attest_not_secret": "on"}
    )
    assert response.status_code == 400 and "attachment" in response.context["form"].errors
    unattested = SimpleUploadedFile("thu.txt", "Nội dung thư".encode(), content_type="text/plain")
    response = client.post("/interactions/add/", {**data, "summary": "Thư", "attachment": unattested})
    assert response.status_code == 400
    letter = SimpleUploadedFile("thu.txt", "Nội dung thư mời".encode(), content_type="text/plain")
    response = client.post(
        "/interactions/add/", {**data, "summary": "Thư mời", "attachment": letter, "attest_not_secret": "on"}
    )
    assert response.status_code == 302
    assert Interaction.objects.get(summary="Thư mời").attachment.name.endswith(".txt")


def test_links_with_large_ids_are_not_written_with_thousands_separators(client, world):
    """Numbers print as 1.234.567 in Vietnamese; an id in a link must not (found on PostgreSQL, whose ids grow
    across tests)."""
    from agreements.testing.factories import AgreementFactory
    from core.testing.world import login

    partner = PartnerFactory(owner=world.danang, pk=12345)
    relationship = RelationshipFactory(owner=world.danang, partner=partner, pk=23456)
    agreement = AgreementFactory(owner=world.danang, pk=34567, planned_year=2014)
    login(client, world.province_editor)
    assert "?partner=12345" in client.get(partner.get_absolute_url()).content.decode()
    assert "?relationship=23456" in client.get(relationship.get_absolute_url()).content.decode()
    assert "?agreement=34567" in client.get(agreement.get_absolute_url()).content.decode()
    assert ">2014<" in client.get("/agreements/").content.decode()
