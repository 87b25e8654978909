"""Security baseline: lock-out by user name and address, two-factor for admins, session time-outs,
password rules, security headers."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.validators import CharacterClassValidator
from core.testing.world import PASSWORD, login

LOGIN = "/accounts/login/"


def _attempt(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_lockout_is_per_user_and_address_so_a_victim_is_not_locked_out_elsewhere(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "viewer", "wrong", "203.0.113.9")
    locked = _attempt(client, "viewer", PASSWORD, "203.0.113.9")
    assert locked.status_code in {403, 429}
    assert "_auth_user_id" not in client.session
    elsewhere = _attempt(client, "viewer", PASSWORD, "198.51.100.7")
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(world.viewer.pk)


@pytest.mark.django_db
def test_lock_ends_after_the_cool_off(client, world, settings):
    settings.AXES_COOLOFF_TIME = 0.0001  # hours
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "viewer", "wrong", "203.0.113.9")
    time.sleep(0.5)
    assert _attempt(client, "viewer", PASSWORD, "203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_admin_must_pass_two_factor_and_a_code_cannot_be_reused(client, world):
    client.force_login(world.province_admin)
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:two_factor")
    client.get(reverse("accounts:two_factor"))  # creates the unconfirmed device and shows its QR code
    device = TOTPDevice.objects.get(user=world.province_admin)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post(reverse("accounts:two_factor"), {"code": code}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    other = client.__class__()
    other.force_login(world.province_admin)
    response = other.post(reverse("accounts:two_factor"), {"code": code})
    assert response.status_code == 200, "a code already used must be refused"
    assert other.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_non_admin_roles_do_not_need_two_factor(client, world):
    client.force_login(world.viewer)
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
@override_settings(SESSION_IDLE_TIMEOUT=60, SESSION_ABSOLUTE_TIMEOUT=3600)
def test_idle_and_absolute_session_time_outs(client, world):
    login(client, world.viewer)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    assert "expired" in client.get(reverse("core:home"))["Location"]
    login(client, world.viewer)
    client.get(reverse("core:home"))
    session = client.session
    session["started_at"] = int(time.time()) - 7200
    session.save()
    assert "expired" in client.get(reverse("core:home"))["Location"]


@pytest.mark.parametrize(("password", "ok"), [("alllowercase", False), ("Lower1234", True), ("lower-case-1", True)])
def test_password_needs_three_character_classes(password, ok):
    validator = CharacterClassValidator(required_classes=3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError):
            validator.validate(password)


@pytest.mark.django_db
def test_security_headers_on_pages(client, world):
    login(client, world.viewer)
    response = client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_bad_input_never_produces_a_server_error(client, world):
    login(client, world.province_editor)
    for params in ({"q": "\x00" * 50}, {"q": "x" * 20000}, {"page": "-1"}, {"page_size": "abc"}, {"year": "nan"}):
        assert client.get("/declared-figures/", params).status_code < 500
    assert client.get("/search/", {"q": "\x00\x01"}).status_code == 200
    data = {"owner": "not-a-number", "indicator": "\x00", "period": "x" * 10000, "value": "1e999999", "version": "z"}
    assert client.post("/declared-figures/add/", data).status_code == 400


@pytest.mark.django_db
def test_every_refusal_leaves_one_audit_entry(client, world):
    from core.models import AuditEntry

    login(client, world.viewer)
    assert client.get("/declared-figures/add/").status_code == 403
    assert AuditEntry.objects.filter(action="denied", user=world.viewer).count() == 1
