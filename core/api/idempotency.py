"""``Idempotency-Key`` on API creates (CONTRACT.md, "POST honours Idempotency-Key"; issue 17).

A client that retries a POST after a time-out must not create the record twice, even when the retries overlap.
So the key is *reserved* before the request runs: an insert that only the unique constraint (user, key) decides
between concurrent requests, never a look-up followed by an insert (ten requests can all look, find nothing, and
all create). Then the request runs, and its answer is stored on the reservation.

A request that finds the key already reserved:

- for another address or another body is refused with 422: the key names one request, and replaying another
  request's answer would tell the client that its own data was saved when it was not;
- for the same request, already answered: gets that answer again (header ``Idempotent-Replayed: true``);
- for the same request, still running: waits up to :data:`WAIT_SECONDS` for its answer and replays it, and
  otherwise answers 409 with ``Retry-After``. It never runs the request a second time.

Only a successful answer is kept. A refusal (invalid data, no permission) or an error releases the key, so that
the client may correct the request and send it again under the same key; nothing was created to protect. The
request runs in its own transactions, as without a key, and not inside one held open for the reservation: a
refusal that is audited must stay in the audit log. If the process dies after the record is saved and before
the answer is, the reservation stays pending and the key answers 409 from then on, rather than risk a second
record: the client then looks for the record, or sends a new key.
"""

from __future__ import annotations

import hashlib
import json
from time import monotonic, sleep

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from core.models import IdempotencyKey

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description=(
        "Any unique text, sent again with each retry of this request: the record is created once, and the retries "
        "get the same answer (header Idempotent-Replayed: true). The key used for another path or body answers "
        "422; while the first request runs, a retry waits for its answer, or answers 409 after 10 seconds."
    ),
)

# How long a request waits for a concurrent request with the same key to answer, and how often it looks.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was already used for a different request (another address or body). Use a new key "
        "for each request."
    )
    default_code = "idempotency_key_reused"


class IdempotencyKeyInProgress(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "A request with this Idempotency-Key is still being processed. Send it again in a moment to receive its "
        "answer; it will not be carried out twice."
    )
    default_code = "idempotency_key_in_progress"
    wait = 1  # seconds, sent as Retry-After by DRF's exception handler


def _canonical(value):
    """``value`` (parsed request data) as plain JSON-able data; a file as its name and content digest."""
    if isinstance(value, MultiValueDict):
        return {str(key): [_canonical(item) for item in value.getlist(key)] for key in value}
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, File):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)  # the handler reads the file again
        return {"file": value.name, "sha256": digest.hexdigest()}
    return value


def request_fingerprint(request) -> str:
    """SHA-256 of the request body in canonical form: the parsed data with its keys sorted, files by content.

    The parsed data rather than the raw bytes, so that a retry is recognised when its JSON is spaced or ordered
    differently, or when it is a multipart upload (each send has a new boundary); any changed value differs.
    """
    text = json.dumps(_canonical(request.data), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _reserve(user, key: str, path: str, fingerprint: str) -> IdempotencyKey | None:
    """The new pending reservation of ``key``, or None when another request holds it. The unique constraint
    decides: on PostgreSQL a concurrent insert of the same key waits for the first one's commit and then fails;
    on SQLite the IMMEDIATE write lock queues the inserts."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, path=path, fingerprint=fingerprint)
    except IntegrityError:
        return None


def _replay(stored: IdempotencyKey) -> Response:
    return Response(stored.body, status=stored.status_code, headers={REPLAYED_HEADER: "true"})


def run_once(request, key: str, handler) -> Response:
    """Answer ``request`` (a POST carrying ``Idempotency-Key: key``) by calling ``handler()`` at most once per
    user and key, or by replaying the answer it gave (see the module's docstring)."""
    user = request.user
    path = request.path[:500]
    fingerprint = request_fingerprint(request)
    key = key[:255]
    deadline = monotonic() + WAIT_SECONDS
    while True:
        reservation = _reserve(user, key, path, fingerprint)
        if reservation is not None:
            break
        stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is not None:
            if stored.path != path or (stored.fingerprint and stored.fingerprint != fingerprint):
                raise IdempotencyKeyReused
            if not stored.pending:
                return _replay(stored)
        # Still running elsewhere, or released by a request that failed in the meantime (then the next
        # round may reserve it for this one).
        if monotonic() >= deadline:
            raise IdempotencyKeyInProgress
        sleep(POLL_SECONDS)

    try:
        response = handler()
    except BaseException:
        reservation.delete()
        raise
    if status.is_success(response.status_code):
        IdempotencyKey.objects.filter(pk=reservation.pk).update(
            status_code=response.status_code, body=response.data, completed_at=timezone.now()
        )
    else:
        reservation.delete()
    return response
