"""Signing in behind a reverse proxy (issue 17, item 9): the lock-out and the audit log see the real client,
taken from X-Forwarded-For only as far as trusted proxies wrote it."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from core.choices import AuditAction
from core.models import AuditEntry
from core.network import client_ip
from core.testing.world import PASSWORD

LOGIN = "/accounts/login/"
PROXY = "10.0.0.5"
CLIENT_A = "203.0.113.9"
CLIENT_B = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    return settings


def _attempt(client, password, *, peer=PROXY, forwarded=None, username="viewer"):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_behind_a_trusted_proxy_failures_from_one_client_do_not_lock_the_user_out_elsewhere(
    client, world, behind_proxy
):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        _attempt(client, "wrong", forwarded=CLIENT_A)
    locked = _attempt(client, PASSWORD, forwarded=CLIENT_A)
    assert locked.status_code in {403, 429}
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    # The same user, through the same proxy, from the machine at the desk: not locked.
    elsewhere = _attempt(client, PASSWORD, forwarded=CLIENT_B)
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(world.viewer.pk)


@pytest.mark.django_db
def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(client, world, behind_proxy):
    attacker = "192.0.2.66"
    for number in range(behind_proxy.AXES_FAILURE_LIMIT):
        # Each try claims another address: had it been believed, no address would ever reach the limit.
        _attempt(client, "wrong", peer=attacker, forwarded=f"198.18.0.{number}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker}
    assert _attempt(client, PASSWORD, peer=attacker, forwarded="198.18.0.200").status_code in {403, 429}
    entries = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert set(entries.values_list("ip", flat=True)) == {attacker}
    # Nor can the attacker lock out the client whose address the header names.
    assert _attempt(client, PASSWORD, forwarded=CLIENT_A).status_code == 302


@pytest.mark.django_db
def test_the_audit_log_carries_the_real_client_address(client, world, behind_proxy):
    _attempt(client, "wrong", forwarded=f"198.18.0.1, {CLIENT_A}")  # the left part was written by the client
    _attempt(client, PASSWORD, forwarded=CLIENT_B)
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    signed_in = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert (failed.username, failed.ip) == ("viewer", CLIENT_A)
    assert (signed_in.user, signed_in.ip) == (world.viewer, CLIENT_B)


def _request(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "expected"),
    [
        # No trusted proxy configured: the header is never read.
        ([], "10.0.0.5", CLIENT_A, "10.0.0.5"),
        ([], CLIENT_B, None, CLIENT_B),
        # A trusted peer without the header.
        (["10.0.0.0/24"], "10.0.0.5", None, "10.0.0.5"),
        # Read from the right, skipping trusted proxies (two of them in a row), stopping at the first other one.
        (["10.0.0.0/24", "172.16.0.1"], "10.0.0.5", f"198.18.0.1, {CLIENT_A}, 172.16.0.1", CLIENT_A),
        # Every hop a trusted proxy: the furthest is the client.
        (["10.0.0.0/8"], "10.0.0.5", "10.1.2.3, 10.0.0.9", "10.1.2.3"),
        # A hop that is not an address ends the walk at the last known proxy.
        (["10.0.0.0/24"], "10.0.0.5", f"{CLIENT_A}, unknown", "10.0.0.5"),
        # Ports and IPv6 as some load balancers write them; an IPv4 peer on a dual-stack listener.
        (["10.0.0.0/24"], "::ffff:10.0.0.5", f"{CLIENT_A}:51234", CLIENT_A),
        (["2001:db8:ffff::/48"], "2001:db8:ffff::2", "[2001:db8::1]:443", "2001:db8::1"),
        # An untrusted peer's header is ignored.
        (["10.0.0.0/24"], CLIENT_B, CLIENT_A, CLIENT_B),
    ],
)
def test_client_ip(settings, proxies, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(_request(peer, forwarded)) == expected


def test_client_ip_without_a_request_or_an_address():
    assert client_ip(None) is None
    assert client_ip(_request("")) is None
