"""Files behind the policy (issue 17, item 4): uploaded and generated files are served only through views that
ask the owning record's policy, under names nobody can guess, never from /media/; import files do not outlive
their import; every refused upload leaves one audit entry (item 7)."""

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from django.utils import timezone
from openpyxl import Workbook
from rest_framework.test import APIClient

from agreements.models import Agreement, AgreementDocument
from agreements.testing.factories import AgreementFactory
from agreements.testing.forms import edit_with_document
from core.choices import AuditAction
from core.jobs import Progress
from core.models import AuditEntry, DeclaredFigure, Job
from core.testing.world import login
from partners.models import Interaction
from partners.testing.factories import InteractionFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

TOKENED = re.compile(r"^[A-Za-z0-9_-]{22}_")
LETTER = "Kính mời Đoàn đại biểu thành phố Yongin dự Festival.".encode()


def _stored_files(directory: str = "") -> list[str]:
    """Every name in the default storage under ``directory``."""
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}".lstrip("/") for name in files]
    for folder in folders:
        names += _stored_files(f"{directory}/{folder}".lstrip("/"))
    return names


@pytest.fixture(autouse=True)
def _no_pending_import_files():
    """The test storage lives as long as the process: start without the import files other tests left."""
    for name in _stored_files("imports"):
        default_storage.delete(name)


def _interaction(world, owner=None, name="thư mời.txt", content=LETTER) -> Interaction:
    return InteractionFactory(owner=owner or world.danang, attachment=ContentFile(content, name=name))


def _document(world, owner=None, name="Dự thảo thỏa thuận.txt", content=b"Du thao") -> AgreementDocument:
    agreement = AgreementFactory(owner=owner or world.danang)
    return AgreementDocument.objects.create(
        agreement=agreement, kind="draft", title="Dự thảo", file=ContentFile(content, name=name)
    )


def _url(kind: str, pk: int) -> str:
    return reverse("core:file", kwargs={"kind": kind, "pk": pk})


# --- Who gets the file --------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [_interaction, _document], ids=["interaction-attachment", "agreement-document"])
def test_a_file_goes_to_those_who_may_view_its_record_and_to_nobody_else(client, world, make):
    row = make(world)
    kind = "interaction-attachments" if isinstance(row, Interaction) else "agreement-documents"
    field_file = row.attachment if isinstance(row, Interaction) else row.file
    content = field_file.open("rb").read()
    url = _url(kind, row.pk)

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))

    login(client, world.other_editor)  # another province
    assert client.get(url).status_code == 404
    login(client, world.nobody)  # no role anywhere
    assert client.get(url).status_code == 404

    for officer in (world.province_editor, world.viewer):
        login(client, officer)
        response = client.get(url)
        assert response.status_code == 200
        assert response.getvalue() == content
        assert response["Content-Disposition"].startswith("attachment;")
        assert "private" in response["Cache-Control"]

    assert client.get(_url(kind, row.pk + 1000)).status_code == 404, "a record that does not exist"
    assert client.get(_url("no-such-files", row.pk)).status_code == 404, "a kind of file that is not declared"


def test_the_download_keeps_the_original_name_without_the_token(client, world):
    interaction = _interaction(world, name="Thư mời dự Festival.txt")
    assert TOKENED.match(interaction.attachment.name.rsplit("/", 1)[1])
    login(client, world.viewer)
    disposition = client.get(_url("interaction-attachments", interaction.pk))["Content-Disposition"]
    # The storage wrote spaces as underscores; the Vietnamese letters are kept (RFC 6266 encoding).
    assert disposition == "attachment; filename*=utf-8''Th%C6%B0_m%E1%BB%9Di_d%E1%BB%B1_Festival.txt"


def test_files_on_disk_are_streamed_by_the_view(client, world, settings, tmp_path):
    """The production storage: the file is on disk under its token, and the view streams it with its length."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "core.storage.PrivateFileSystemStorage"}}
    interaction = _interaction(world)
    assert (tmp_path / interaction.attachment.name).read_bytes() == LETTER
    login(client, world.viewer)
    response = client.get(_url("interaction-attachments", interaction.pk))
    assert response.getvalue() == LETTER and response["Content-Length"] == str(len(LETTER))


def test_a_file_of_a_record_in_the_trash_or_of_a_trashed_agreement_is_not_served(client, world):
    interaction, document = _interaction(world), _document(world)
    now = timezone.now()
    Interaction.all_objects.filter(pk=interaction.pk).update(deleted_at=now)
    Agreement.all_objects.filter(pk=document.agreement_id).update(deleted_at=now)
    login(client, world.province_editor)
    assert client.get(_url("interaction-attachments", interaction.pk)).status_code == 404
    assert client.get(_url("agreement-documents", document.pk)).status_code == 404


def test_a_missing_file_answers_404(client, world):
    interaction = _interaction(world)
    default_storage.delete(interaction.attachment.name)
    login(client, world.viewer)
    assert client.get(_url("interaction-attachments", interaction.pk)).status_code == 404
    empty = InteractionFactory(owner=world.danang)
    assert client.get(_url("interaction-attachments", empty.pk)).status_code == 404


def test_a_job_result_goes_to_its_creator_only(client, world):
    job = Job.objects.create(kind="import_records", created_by=world.province_editor)
    Progress(job).attach("Báo cáo 2013.docx", b"report bytes")
    job.refresh_from_db()
    assert TOKENED.match(job.result_file.name.rsplit("/", 1)[1])
    url = reverse("core:job_download", kwargs={"pk": job.pk})
    assert client.get(url).status_code == 302
    login(client, world.viewer)  # the same province, not the creator
    assert client.get(url).status_code == 404
    login(client, world.province_editor)
    response = client.get(url)
    assert response.status_code == 200 and response.getvalue() == b"report bytes"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%202013.docx"


@pytest.mark.parametrize(
    ("mode", "header"),
    [("x-accel-redirect", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")],
)
def test_the_web_server_sends_the_file_when_the_settings_say_so(client, world, settings, mode, header):
    settings.FILE_SERVING = mode
    settings.X_ACCEL_PREFIX = "/protected-files/"
    interaction = _interaction(world)
    url = _url("interaction-attachments", interaction.pk)
    login(client, world.other_editor)
    response = client.get(url)
    assert response.status_code == 404 and header not in response, "the policy still decides"
    login(client, world.viewer)
    response = client.get(url)
    assert response.status_code == 200 and response.content == b""
    sent = response[header]
    assert sent.isascii() and "%C6%B0" in sent, "the Vietnamese letters are percent-encoded"
    if mode == "x-accel-redirect":
        assert sent.startswith("/protected-files/partners/interactions/")
    else:
        assert sent.startswith(str(settings.MEDIA_ROOT))
    assert response["Content-Disposition"].startswith("attachment;")


# --- No public address --------------------------------------------------------------------------------------


def test_no_address_under_media_resolves_even_in_debug(settings):
    import config.urls

    interaction_path = "/media/partners/interactions/2026/thu.txt"
    settings.DEBUG = True  # as under `make run`, where the media route used to be added
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(interaction_path)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()


def test_the_storage_gives_no_public_url_in_any_settings(tmp_path):
    from config.settings import base
    from core.storage import PrivateFileSystemStorage

    assert base.STORAGES["default"]["BACKEND"] == "core.storage.PrivateFileSystemStorage"
    assert not getattr(base, "MEDIA_URL", ""), "no public base URL for uploaded files"
    name = default_storage.save("partners/interactions/2026/thu.txt", ContentFile(b"x"))
    with pytest.raises(ValueError, match="no public URL"):
        default_storage.url(name)
    on_disk = PrivateFileSystemStorage(location=tmp_path)
    saved = on_disk.save("agreements/2026/du-thao.txt", ContentFile(b"x"))
    assert (tmp_path / saved).read_bytes() == b"x"
    with pytest.raises(ValueError, match="no public URL"):
        on_disk.url(saved)


def test_pages_forms_and_the_api_link_to_the_file_view(client, world):
    interaction, document = _interaction(world), _document(world)
    interaction_url = _url("interaction-attachments", interaction.pk)
    login(client, world.province_editor)
    document_url = _url("agreement-documents", document.pk)
    for page, url, stored in (
        (interaction.get_absolute_url(), interaction_url, interaction.attachment.name),
        (f"/interactions/{interaction.pk}/edit/", interaction_url, interaction.attachment.name),
        (document.agreement.get_absolute_url(), document_url, document.file.name),
        (f"/agreements/{document.agreement_id}/edit/", document_url, document.file.name),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert f'href="{url}"' in html, page
        assert "/media/" not in html and stored.rsplit("/", 1)[1] not in html, page
    assert "thư_mời.txt" in client.get(interaction.get_absolute_url()).content.decode(), "named without the token"
    api = APIClient()
    api.force_authenticate(world.viewer)
    data = api.get(f"/api/v1/interactions/{interaction.pk}/").json()
    assert data["attachment"] == f"http://testserver{interaction_url}"
    empty = InteractionFactory(owner=world.danang)
    assert api.get(f"/api/v1/interactions/{empty.pk}/").json()["attachment"] is None


def test_every_file_field_is_served_through_a_declaration(monkeypatch):
    from core import files

    assert files.check_files_are_served() == []
    monkeypatch.setattr(files, "_BY_FIELD", {})
    missing = {error.msg.split(" ", 1)[0] for error in files.check_files_are_served()}
    assert missing == {"partners.Interaction.attachment", "agreements.AgreementDocument.file"}


# --- Names nobody can guess -----------------------------------------------------------------------------------


def test_stored_names_carry_a_random_token_that_differs_for_the_same_name():
    first = default_storage.save("partners/interactions/2026/thu.txt", ContentFile(b"a"))
    second = default_storage.save("partners/interactions/2026/thu.txt", ContentFile(b"b"))
    assert first != second
    for name in (first, second):
        folder, file_name = name.rsplit("/", 1)
        assert folder == "partners/interactions/2026" and TOKENED.match(file_name) and file_name.endswith("_thu.txt")


def test_a_long_name_is_shortened_after_the_token_and_keeps_its_extension():
    from core.storage import original_name

    name = default_storage.save("agreements/2026/" + "a" * 150 + ".docx", ContentFile(b"x"), max_length=100)
    assert len(name) <= 100 and name.endswith(".docx")
    assert TOKENED.match(name.rsplit("/", 1)[1]) and original_name(name).startswith("aaa")


def test_two_uploads_of_the_same_file_through_the_form_get_different_names(client, world):
    relationship = RelationshipFactory(owner=world.danang)
    login(client, world.province_editor)
    data = {"relationship": relationship.pk, "on": "15/06/2013", "precision": "day", "kind": "letter_sent"}
    for summary in ("Thư mời 1", "Thư mời 2"):
        letter = SimpleUploadedFile("thu-moi.txt", LETTER, content_type="text/plain")
        response = client.post(
            "/interactions/add/", {**data, "summary": summary, "attachment": letter, "attest_not_secret": "on"}
        )
        assert response.status_code == 302
    names = [item.attachment.name for item in Interaction.objects.filter(summary__startswith="Thư mời")]
    assert len(set(names)) == 2
    assert all(TOKENED.match(name.rsplit("/", 1)[1]) and name.endswith("_thu-moi.txt") for name in names)


# --- Import files do not outlive their import ---------------------------------------------------------------


def _xlsx(rows) -> SimpleUploadedFile:
    import io

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("figures.xlsx", buffer.getvalue())


GOOD = [
    ["owner", "indicator", "period", "qualifier", "value", "source_document"],
    ["da-nang", "outgoing_delegations", "2013", "exact", 164, "Báo cáo 2013"],
]


def test_an_import_that_fails_leaves_no_file(client, world, monkeypatch, django_capture_on_commit_callbacks):
    from core.records import Importer

    def explode(self, plan, progress=None):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Importer, "commit", explode)
    login(client, world.province_editor)
    url = reverse("core:declaredfigure_import")
    assert client.post(url, {"file": _xlsx(GOOD), "attest_not_secret": "on"}).status_code == 200
    assert len(_stored_files("imports")) == 1, "the accepted file waits for the confirmation"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "1"})
    assert Job.objects.get().status == "failed"
    assert _stored_files("imports") == []
    assert not DeclaredFigure.objects.exists()


def test_an_import_that_succeeds_leaves_no_file(client, world, django_capture_on_commit_callbacks):
    login(client, world.province_editor)
    url = reverse("core:declaredfigure_import")
    client.post(url, {"file": _xlsx(GOOD), "attest_not_secret": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "1"})
    assert Job.objects.get().status == "done"
    assert _stored_files("imports") == []


def test_the_file_of_a_preview_nobody_confirms_does_not_stay(client, world, settings):
    url = reverse("core:declaredfigure_import")
    login(client, world.province_editor)
    client.post(url, {"file": _xlsx(GOOD), "attest_not_secret": "on"})
    client.post(url, {"file": _xlsx(GOOD), "attest_not_secret": "on"})
    assert len(_stored_files("imports")) == 1, "a new preview replaces the previous one"
    abandoned = _stored_files("imports")[0]
    other = Client()  # a second person's preview, with a session of their own
    login(other, world.province_admin)
    # Later, beyond the longest a session lives: nobody can confirm the first preview any more.
    settings.SESSION_COOKIE_AGE = 0
    assert other.post(url, {"file": _xlsx(GOOD), "attest_not_secret": "on"}).status_code == 200
    remaining = _stored_files("imports")
    assert abandoned not in remaining and len(remaining) == 1


# --- Refused uploads are audited on every path ---------------------------------------------------------------


def _refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.UPLOAD_REFUSED))


def test_a_refused_agreement_document_is_audited_once(client, world):
    agreement = AgreementFactory(owner=world.danang)
    login(client, world.province_editor)
    url = f"/agreements/{agreement.pk}/edit/"
    stamped = SimpleUploadedFile("du-thao.txt", "TUYỆT MẬT\nDự thảo".encode(), content_type="text/plain")
    assert client.post(url, edit_with_document(agreement, stamped)).status_code == 400
    (entry,) = _refusals()
    assert entry.user == world.province_editor
    assert entry.detail["reason"] == "state_secret_stamp" and entry.detail["name"] == "du-thao.txt"
    macro = SimpleUploadedFile("du-thao.docm", b"PK\x03\x04 macro", content_type="application/octet-stream")
    assert client.post(url, edit_with_document(agreement, macro)).status_code == 400
    assert [item.detail["reason"] for item in _refusals()] == ["macro", "state_secret_stamp"]
    unattested = SimpleUploadedFile("du-thao.txt", "Dự thảo".encode(), content_type="text/plain")
    assert client.post(url, edit_with_document(agreement, unattested, attested=False)).status_code == 400
    assert len(_refusals()) == 2, "a missing attestation is a form error, not a refused file"
    assert not AgreementDocument.objects.exists()


def test_a_refused_interaction_attachment_is_audited_once(client, world):
    relationship = RelationshipFactory(owner=world.danang)
    login(client, world.province_editor)
    data = {"relationship": relationship.pk, "on": "15/06/2013", "precision": "day", "kind": "letter_sent"}
    stamped = SimpleUploadedFile("thu.txt", "TỐI MẬT\nNội dung thư".encode(), content_type="text/plain")
    response = client.post(
        "/interactions/add/", {**data, "summary": "Thư", "attachment": stamped, "attest_not_secret": "on"}
    )
    assert response.status_code == 400
    (entry,) = _refusals()
    assert entry.user == world.province_editor and entry.detail["reason"] == "state_secret_stamp"
    assert entry.detail["stamp"] == "TỐI MẬT"


def test_a_refused_import_is_audited_once(client, world):
    login(client, world.province_editor)
    url = reverse("core:declaredfigure_import")
    assert client.post(url, {"file": _xlsx([["MẬT"], *GOOD]), "attest_not_secret": "on"}).status_code == 400
    (entry,) = _refusals()
    assert entry.detail["reason"] == "state_secret_stamp" and entry.user == world.province_editor
    renamed = SimpleUploadedFile("figures.xlsx", b"%PDF-1.4 not a spreadsheet")
    assert client.post(url, {"file": renamed, "attest_not_secret": "on"}).status_code == 400
    assert len(_refusals()) == 2, "a hostile file is audited too, not only a stamp"


def test_every_caller_of_the_upload_gate_names_the_uploader():
    from core.uploads import check_upload

    with pytest.raises(TypeError):
        check_upload(SimpleUploadedFile("a.txt", b"a"), allowed=["txt"], attested_not_secret=True)
