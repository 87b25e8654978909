"""``Idempotency-Key`` on API creates (issue 17, item 8): one record per key, even for concurrent retries; a key
reused for another address or body is refused (422), never answered with another request's answer."""

import json
import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from core.api import idempotency
from core.models import IdempotencyKey
from partners.models import Contact
from partners.registries import CONTACTS
from partners.testing.factories import PartnerFactory

CONTACTS_URL = "/api/v1/contacts/"


def _payload(world, partner, name="Lee Ji-eun") -> dict:
    lookups = CONTACTS.lookups
    return {
        "owner": getattr(world.danang, lookups.get("owner", "pk")),
        "partner": getattr(partner, lookups.get("partner", "pk")),
        "person_name": name,
        "position": "Chuyên viên",
    }


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _fingerprint(payload: dict) -> str:
    """The fingerprint the server computes for ``payload`` sent as JSON."""
    return idempotency.request_fingerprint(SimpleNamespace(data=payload))


@pytest.fixture
def slow_create(monkeypatch):
    """Keep every contact create running for a while, so that the concurrent requests all arrive while the
    first one is still running: the window in which a look-up-then-insert lets every request through."""
    viewset = resolve(CONTACTS_URL).func.cls
    original = viewset.perform_create

    def perform_create(self, serializer):
        time.sleep(0.3)
        original(self, serializer)

    monkeypatch.setattr(viewset, "perform_create", perform_create)


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_posts_with_one_key_create_one_record(world, slow_create):
    if connection.vendor == "sqlite":
        pytest.skip(
            "the SQLite test database is in memory with a shared cache, where a second writer fails at once with "
            "'database table is locked' instead of waiting (the busy timeout does not apply to shared-cache "
            "locks), so concurrent writes cannot be run; a file database, as deployed, queues them"
        )
    payload = _payload(world, PartnerFactory(owner=world.danang))
    start = threading.Barrier(10)
    answers = []

    def send():
        try:
            api = _api(world.province_editor)
            start.wait()
            response = api.post(CONTACTS_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="same-key")
            answers.append((response.status_code, response.json(), response.get(idempotency.REPLAYED_HEADER)))
        finally:
            connection.close()  # each thread has its own connection; leave none open on the test database

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 10
    assert [status for status, _body, _replayed in answers] == [201] * 10, answers
    assert len({body["id"] for _status, body, _replayed in answers}) == 1
    assert sum(1 for *_rest, replayed in answers if replayed == "true") == 9
    assert Contact._base_manager.filter(person_name="Lee Ji-eun").count() == 1
    stored = IdempotencyKey.objects.get(user=world.province_editor, key="same-key")
    assert stored.status_code == 201 and stored.body["id"] == answers[0][1]["id"]


@pytest.mark.django_db
def test_the_same_request_again_replays_the_first_answer_even_spelled_differently(world):
    payload = _payload(world, PartnerFactory(owner=world.danang))
    api = _api(world.province_editor)
    first = api.post(CONTACTS_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.json()
    # The same data, keys in another order and spaced otherwise: the same request.
    respelled = json.dumps(dict(reversed(list(payload.items()))), indent=2, ensure_ascii=False)
    again = api.post(CONTACTS_URL, respelled, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again[idempotency.REPLAYED_HEADER] == "true"
    assert Contact._base_manager.filter(person_name="Lee Ji-eun").count() == 1


@pytest.mark.django_db
def test_a_key_reused_with_another_body_is_refused_with_422(world):
    partner = PartnerFactory(owner=world.danang)
    api = _api(world.province_editor)
    first = api.post(CONTACTS_URL, _payload(world, partner), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.json()
    other = api.post(CONTACTS_URL, _payload(world, partner, "Park Soo-ah"), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 422
    assert other.json()["detail"] == str(idempotency.IdempotencyKeyReused.default_detail)
    assert not Contact._base_manager.filter(person_name="Park Soo-ah").exists()


@pytest.mark.django_db
def test_a_key_reused_on_another_endpoint_is_refused_with_422(world):
    partner = PartnerFactory(owner=world.danang)
    api = _api(world.province_editor)
    first = api.post(CONTACTS_URL, _payload(world, partner), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.json()
    relationships = reverse("relationship-list")
    payload = {"owner": world.danang.key, "partner": partner.key, "kind": "twinning", "status": "negotiating"}
    other = api.post(relationships, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 422
    assert api.get(relationships).json()["count"] == 0


@pytest.mark.django_db
def test_the_refusals_are_in_vietnamese_by_default(world, monkeypatch):
    partner = PartnerFactory(owner=world.danang)
    api = _api(world.province_editor)
    api.post(CONTACTS_URL, _payload(world, partner), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = api.post(CONTACTS_URL, _payload(world, partner, "Park Soo-ah"), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert "đã được dùng cho một yêu cầu khác" in other.json()["detail"]
    payload = _payload(world, partner, "Choi Yu-na")
    IdempotencyKey.objects.create(
        user=world.province_editor, key="k2", path=CONTACTS_URL, fingerprint=_fingerprint(payload)
    )
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0)
    pending = api.post(CONTACTS_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert "vẫn đang được xử lý" in pending.json()["detail"]


@pytest.mark.django_db
def test_a_request_that_finds_its_key_pending_waits_for_the_answer_and_replays_it(world, monkeypatch):
    payload = _payload(world, PartnerFactory(owner=world.danang))
    running = IdempotencyKey.objects.create(
        user=world.province_editor, key="k1", path=CONTACTS_URL, fingerprint=_fingerprint(payload)
    )
    answered = {"id": 4242, "person_name": "Lee Ji-eun"}

    def sleep(seconds):
        # Meanwhile the request that holds the key answers.
        IdempotencyKey.objects.filter(pk=running.pk).update(status_code=201, body=answered)

    monkeypatch.setattr(idempotency, "sleep", sleep)
    response = _api(world.province_editor).post(CONTACTS_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 201
    assert response.json() == answered
    assert not Contact._base_manager.filter(person_name="Lee Ji-eun").exists(), "the request must not run twice"


@pytest.mark.django_db
def test_a_key_still_pending_after_the_wait_answers_409_and_creates_nothing(world, monkeypatch):
    payload = _payload(world, PartnerFactory(owner=world.danang))
    IdempotencyKey.objects.create(
        user=world.province_editor, key="k1", path=CONTACTS_URL, fingerprint=_fingerprint(payload)
    )
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.2)
    response = _api(world.province_editor).post(CONTACTS_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert not Contact._base_manager.filter(person_name="Lee Ji-eun").exists()


@pytest.mark.django_db
def test_a_refused_create_releases_its_key_for_the_corrected_request(world):
    partner = PartnerFactory(owner=world.danang)
    api = _api(world.province_editor)
    invalid = {**_payload(world, partner), "person_name": ""}
    assert api.post(CONTACTS_URL, invalid, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 400
    assert not IdempotencyKey.objects.filter(key="k1").exists()
    corrected = api.post(CONTACTS_URL, _payload(world, partner), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert corrected.status_code == 201, corrected.json()


@pytest.mark.django_db
def test_keys_are_per_user(world):
    partner = PartnerFactory(owner=world.danang)
    payload = _payload(world, partner)
    first = _api(world.province_editor).post(CONTACTS_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = _api(world.province_admin).post(CONTACTS_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.json()
    assert other.status_code == 201, other.json()
    assert other.get(idempotency.REPLAYED_HEADER) is None
    assert other.json()["id"] != first.json()["id"], "another user's key is another key"
