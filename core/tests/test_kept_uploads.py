"""A chosen file is kept when the form comes back with an error elsewhere (issue 18, item 7: "chosen files are lost
after an error"): kept through the private storage, named on the form with a box to remove it, attached on the
corrected post; only for the person and the session that chose it, for a while; never a file the gate refused."""

import datetime as dt
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementDocument
from agreements.testing.factories import AgreementFactory
from agreements.testing.forms import edit_with_document
from core.files import PENDING_DIR
from core.kept_uploads import KEPT_FOR, SESSION_KEY
from core.models import AuditEntry
from core.testing.world import login
from partners.models import Interaction
from partners.testing.factories import RelationshipFactory

pytestmark = pytest.mark.django_db

TEXT = "Văn bản thỏa thuận hợp tác đã ký ngày 10/4/2013.".encode()


def _upload(content: bytes = TEXT, name: str = "Văn bản ký.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture(autouse=True)
def _no_pending_files():
    """The in-memory storage outlives a test: files other tests left pending (imports waiting for their
    confirmation) are removed first, so that what these tests count is their own."""
    for name in _pending_paths():
        default_storage.delete(name)


def _pending_paths() -> list[str]:
    try:
        folders, _files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return []
    return [
        f"{PENDING_DIR}/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"{PENDING_DIR}/{folder}")[1]
    ]


def _pending() -> list[str]:
    """The files waiting in the private storage, under every person's folder."""
    try:
        folders, _files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return []
    return [name for folder in folders for name in default_storage.listdir(f"{PENDING_DIR}/{folder}")[1]]


def _token(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}__kept" value="([^"]+)"', html)
    assert found, f"no kept file for {name}"
    return found.group(1)


@pytest.fixture
def agreement(world):
    return AgreementFactory(owner=world.danang)


def _edit(agreement) -> str:
    return reverse("agreements:agreement_edit", args=[agreement.pk])


def test_a_chosen_document_is_kept_after_an_error_and_attached_once_corrected(client, world, agreement):
    login(client, world.province_editor)
    data = edit_with_document(agreement)
    response = client.post(_edit(agreement), {**data, "title": "", "documents-0-file": _upload()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Đã chọn tệp: <strong>Văn bản ký.txt</strong> (giữ lại sau khi sửa lỗi)" in html
    assert 'name="documents-0-file__drop"' in html
    token = _token(html, "documents-0-file")
    assert not AgreementDocument.objects.exists()
    assert len(_pending()) == 1, "kept in the private storage, under a random name"
    entry = client.session[SESSION_KEY][token]
    assert entry["user"] == world.province_editor.pk

    # Corrected: the browser sends no file, only the token; the document is attached with the file's content.
    response = client.post(_edit(agreement), {**data, "documents-0-file__kept": token})
    assert response.status_code == 302, response.content.decode()[:3000]
    document = AgreementDocument.objects.get()
    assert document.file.read() == TEXT
    assert document.file.name.endswith("_Văn_bản_ký.txt")
    assert _pending() == [], "the kept copy is removed once the record is saved"
    assert SESSION_KEY not in client.session


def test_a_kept_file_can_be_removed_or_replaced(client, world, agreement):
    login(client, world.province_editor)
    data = edit_with_document(agreement)
    html = client.post(_edit(agreement), {**data, "title": "", "documents-0-file": _upload()}).content.decode()
    token = _token(html, "documents-0-file")
    # Removed: the row has no file any more, which the form says; nothing is attached and the copy is gone.
    response = client.post(_edit(agreement), {**data, "documents-0-file__kept": token, "documents-0-file__drop": "on"})
    assert response.status_code == 400
    assert 'name="documents-0-file__kept"' not in response.content.decode()
    assert _pending() == [] and not AgreementDocument.objects.exists()

    html = client.post(_edit(agreement), {**data, "title": "", "documents-0-file": _upload()}).content.decode()
    token = _token(html, "documents-0-file")
    other = "Bản dịch tiếng Anh của thỏa thuận.".encode()
    response = client.post(
        _edit(agreement), {**data, "documents-0-file__kept": token, "documents-0-file": _upload(other, "Bản dịch.txt")}
    )
    assert response.status_code == 302
    assert AgreementDocument.objects.get().file.read() == other, "a newly chosen file replaces the kept one"
    assert _pending() == []


def test_a_kept_file_serves_only_its_person_and_session_for_a_while(client, world, agreement):
    login(client, world.province_editor)
    data = edit_with_document(agreement)
    html = client.post(_edit(agreement), {**data, "title": "", "documents-0-file": _upload()}).content.decode()
    token = _token(html, "documents-0-file")

    # Another session of the same person, and another person, do not get the file from the token.
    for user in (world.province_editor, world.province_admin):
        other = Client()
        login(other, user)
        response = other.post(_edit(agreement), {**data, "documents-0-file__kept": token})
        assert response.status_code == 400
        assert not AgreementDocument.objects.exists()
    assert len(_pending()) == 1

    # Past its time, the token is refused and the copy removed.
    session = client.session
    session[SESSION_KEY][token]["at"] = (timezone.now() - KEPT_FOR - dt.timedelta(minutes=1)).isoformat()
    session.save()
    response = client.post(_edit(agreement), {**data, "documents-0-file__kept": token})
    assert response.status_code == 400
    assert not AgreementDocument.objects.exists()
    assert _pending() == []


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (_upload("TUYỆT MẬT\nDự thảo thỏa thuận".encode(), "du-thao.txt"), "state_secret_stamp"),
        (_upload(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "du-thao.txt"), "bad_type"),
    ],
)
def test_a_refused_file_is_never_kept(client, world, agreement, upload, reason):
    login(client, world.province_editor)
    data = edit_with_document(agreement)
    response = client.post(_edit(agreement), {**data, "title": "", "documents-0-file": upload})
    assert response.status_code == 400
    assert 'name="documents-0-file__kept"' not in response.content.decode()
    assert _pending() == [] and SESSION_KEY not in client.session
    assert AuditEntry.objects.filter(action="upload_refused", detail__reason=reason).count() == 1


def test_an_unattested_file_is_not_kept(client, world, agreement):
    login(client, world.province_editor)
    data = edit_with_document(agreement, attested=False)
    response = client.post(_edit(agreement), {**data, "title": "", "documents-0-file": _upload()})
    assert response.status_code == 400
    assert 'name="documents-0-file__kept"' not in response.content.decode()
    assert _pending() == []


def test_an_interactions_attachment_is_kept_after_an_error(client, world):
    relationship = RelationshipFactory(owner=world.danang)
    login(client, world.province_editor)
    data = {
        "relationship": relationship.pk,
        "on": "10/04/2013",
        "precision": "day",
        "kind": "visit_in",
        "summary": "",
        "attest_not_secret": "on",
        "version": 1,
    }
    url = reverse("partners:interaction_add")
    response = client.post(url, {**data, "attachment": _upload(name="Thư mời.txt")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Đã chọn tệp: <strong>Thư mời.txt</strong>" in html
    token = _token(html, "attachment")
    response = client.post(url, {**data, "summary": "Đoàn Yongin thăm Đà Nẵng", "attachment__kept": token})
    assert response.status_code == 302
    assert Interaction.objects.get().attachment.read() == TEXT
    assert _pending() == []
