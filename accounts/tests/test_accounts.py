"""Account management by administrators, within their reach, audited."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Membership, User
from core.models import AuditEntry
from core.testing.world import login


@pytest.mark.django_db
def test_province_admin_creates_an_account_in_its_province_and_sees_the_password_once(client, world):
    login(client, world.province_admin)
    data = {
        "username": "nguyen.van.a",
        "full_name": "Nguyễn Văn A",
        "unit": world.danang_dept.pk,
        "role": "unit_editor",
    }
    response = client.post(reverse("accounts:user_add"), data)
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="nguyen.van.a")
    assert user.check_password(password)
    assert Membership.objects.get(user=user).role == "unit_editor"
    assert AuditEntry.objects.filter(verb="user_create", object_pk=str(user.pk)).count() == 1
    assert password not in client.get(reverse("accounts:user", kwargs={"pk": user.pk})).content.decode()


@pytest.mark.django_db
def test_province_admin_cannot_reach_other_provinces_or_give_national_roles(client, world):
    login(client, world.province_admin)
    other = {"username": "x.other", "full_name": "X", "unit": world.bacninh.pk, "role": "viewer"}
    assert client.post(reverse("accounts:user_add"), other).status_code == 400
    national = {"username": "x.national", "full_name": "X", "unit": world.danang.pk, "role": "national_admin"}
    assert client.post(reverse("accounts:user_add"), national).status_code == 400
    assert not User.objects.filter(username__startswith="x.").exists()
    assert client.get(reverse("accounts:user", kwargs={"pk": world.other_editor.pk})).status_code == 404
    assert world.viewer.username in client.get(reverse("accounts:user_list")).content.decode()
    assert world.other_editor.username not in client.get(reverse("accounts:user_list")).content.decode()


@pytest.mark.django_db
def test_roles_are_given_and_ended(client, world):
    login(client, world.province_admin)
    url = reverse("accounts:user", kwargs={"pk": world.viewer.pk})
    assert client.post(url, {"unit": world.danang.pk, "role": "approver"}).status_code == 302
    membership = Membership.objects.get(user=world.viewer, role="approver")
    assert client.post(url, {"end": membership.pk}).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active


@pytest.mark.django_db
def test_non_admins_cannot_manage_accounts(client, world):
    login(client, world.province_editor)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.post(reverse("accounts:user_add"), {"username": "zz"}).status_code == 403


@pytest.mark.django_db
def test_admin_session_without_second_factor_cannot_use_pages_or_api(client, world):
    client.force_login(world.province_admin)
    assert client.get(reverse("accounts:user_list"))["Location"] == reverse("accounts:two_factor")
    assert client.get("/api/v1/declared-figures/").status_code == 403
    token_client = APIClient()
    token_client.force_authenticate(world.viewer)
    assert token_client.get("/api/v1/declared-figures/").status_code == 200
