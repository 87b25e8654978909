"""The web import: preview, confirm as a job, and the upload gate (attestation, state-secret stamps)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry, DeclaredFigure, Job
from core.testing.imports import XLSX, xlsx_file
from core.testing.world import login


def _xlsx(rows, name="figures.xlsx"):
    return xlsx_file(rows, name)


HEADER = ["owner", "indicator", "period", "qualifier", "value", "source_document"]
GOOD = [HEADER, ["da-nang", "outgoing_delegations", "2013", "exact", 164, "Báo cáo 2013"]]


@pytest.mark.django_db
def test_preview_then_confirm_runs_a_job_that_writes_the_rows(client, world, django_capture_on_commit_callbacks):
    login(client, world.province_editor)
    url = reverse("core:declaredfigure_import")
    preview = client.post(url, {"file": _xlsx(GOOD), "attest_not_secret": "on"})
    assert preview.status_code == 200
    assert preview.context["plan"].ok and len(preview.context["plan"].creates) == 1
    assert DeclaredFigure.objects.count() == 0, "the preview writes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(url, {"confirm": "1"})
    job = Job.objects.get()
    assert confirm["Location"] == job.get_absolute_url()
    assert job.status == "done" and job.result["created"] == 1
    assert DeclaredFigure.objects.get().value == 164
    page = client.get(job.get_absolute_url())
    assert "100" in page.content.decode()


@pytest.mark.django_db
def test_errors_are_listed_by_row_and_column_and_nothing_is_written(client, world):
    login(client, world.province_editor)
    rows = [*GOOD, ["da-nang", "outgoing_delegations", "2013-H7", "exact", "x", "Báo cáo 2013"]]
    response = client.post(reverse("core:declaredfigure_import"), {"file": _xlsx(rows), "attest_not_secret": "on"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "row 3, column" in text or "dòng 3, cột" in text
    assert DeclaredFigure.objects.count() == 0


@pytest.mark.django_db
def test_upload_must_be_attested_and_stamped_files_are_refused_and_logged(client, world):
    login(client, world.province_editor)
    url = reverse("core:declaredfigure_import")
    assert client.post(url, {"file": _xlsx(GOOD)}).status_code == 400
    stamped = [["MẬT"], *GOOD]
    response = client.post(url, {"file": _xlsx(stamped), "attest_not_secret": "on"})
    assert response.status_code == 400
    assert AuditEntry.objects.filter(action="upload_refused").count() == 1
    renamed = SimpleUploadedFile("figures.xlsx", b"%PDF-1.4 not a spreadsheet", content_type=XLSX)
    assert client.post(url, {"file": renamed, "attest_not_secret": "on"}).status_code == 400
    assert DeclaredFigure.objects.count() == 0
