"""Backup and restore (issue 17, item 10): every row comes back, records in the trash and microseconds included,
into an empty database; the files are the owner's only; a changed file is refused; and ``verify_audit
--expect-head`` detects an audit log cut at its end, which the chain alone cannot show."""

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import stat
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from agreements.models import Agreement
from agreements.testing.factories import AgreementFactory
from core.audit import audit
from core.models import AuditEntry, DeclaredFigure, Unit
from core.testing.factories import DeclaredFigureFactory
from partners.models import Partner
from partners.testing.factories import PartnerFactory

# Not a multiple of a millisecond: Django's JSON encoder would cut it to 07:08:09.123.
INSTANT = dt.datetime(2024, 5, 6, 7, 8, 9, 123457, tzinfo=dt.UTC)


def table_rows() -> dict[str, list]:
    """Every table's rows, read with SQL (no manager hides the trash), in an order that does not depend on the
    database's. Sessions are left out, as a backup leaves them out."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(name for name in connection.introspection.table_names(cursor) if name != "django_session")
        found = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the database's own catalogue
            found[table] = sorted(cursor.fetchall(), key=repr)
    return found


def media_checksums(root) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_media(root) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "signed.pdf").write_bytes(b"%PDF-1.4 test")
    (root / "agreements" / "2026").mkdir(parents=True)
    (root / "agreements" / "2026" / "Biên bản ký kết.docx").write_bytes(os.urandom(4096))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_gives_back_every_row_file_and_microsecond(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    write_media(tmp_path / "media")
    live = PartnerFactory(owner=world.danang)
    trashed = PartnerFactory(owner=world.danang)
    agreement = AgreementFactory(owner=world.danang, parties=[live, trashed])
    DeclaredFigureFactory(owner=world.quangnam, period="2013", value=Decimal(164), source_document="Báo cáo")
    # In the trash, as record_delete leaves a record; the link to the agreement stays.
    Partner.all_objects.filter(pk=trashed.pk).update(deleted_at=INSTANT, updated_at=INSTANT)
    DeclaredFigure.all_objects.filter(owner=world.quangnam).update(deleted_at=INSTANT)
    for index in range(5):
        audit("verb", verb=f"test_{index}", detail={"n": index, "tên": "Đà Nẵng"})

    call_command("backup", "-o", str(tmp_path / "backup"), stdout=io.StringIO())
    before = table_rows()
    files_before = media_checksums(tmp_path / "media")
    last = AuditEntry.objects.order_by("-id").first()
    assert Partner.objects.filter(pk=trashed.pk).count() == 0  # the default manager hides the trash

    # A fresh server: an empty, migrated database (flush makes the content types and permissions again, as
    # migrate does) and no media files but a stray one that the backup did not hold.
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == Unit.objects.count() == 0
    for path in sorted((tmp_path / "media").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (tmp_path / "media" / "stray.txt").write_text("not in the backup")

    output = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), stdout=output)

    after = table_rows()
    assert {table: len(rows) for table, rows in after.items()} == {table: len(rows) for table, rows in before.items()}
    assert after == before
    assert media_checksums(tmp_path / "media") == files_before
    restored = Partner.all_objects.unrestricted("test").get(pk=trashed.pk)
    assert (restored.deleted_at, restored.updated_at) == (INSTANT, INSTANT)
    # The link to the partner in the trash too (the related manager would hide it: read the link table).
    links = Agreement.partners.through.objects.filter(agreement_id=agreement.pk).values_list("partner_id", flat=True)
    assert set(links) == {live.pk, trashed.pk}
    with gzip.open(tmp_path / "backup" / "data.json.gz", "rt", encoding="utf-8") as handle:
        assert "2024-05-06T07:08:09.123457" in handle.read()

    # The manifest records the audit chain's head; the restored chain verifies and ends there.
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["audit_head"] == {"id": last.pk, "hash": last.hash}
    assert manifest["rows"]["partners.Partner"] == 2
    assert f"{last.pk}:{last.hash}" in output.getvalue()
    head = f"{last.pk}:{last.hash}"
    call_command("verify_audit", stdout=io.StringIO())
    call_command("verify_audit", "--expect-head", head, stdout=io.StringIO())
    # The sequences follow the restored ids (PostgreSQL): new rows and entries are written after them.
    PartnerFactory(owner=world.danang)
    audit("verb", verb="after_restore")
    output = io.StringIO()
    with translation.override("en"):
        call_command("verify_audit", "--expect-head", head, stdout=output)
    assert "1 entry was written after it" in output.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip_and_tamper_detection(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "docs").mkdir(parents=True)
    (tmp_path / "media" / "docs" / "signed.pdf").write_bytes(b"%PDF-1.4 test")
    DeclaredFigureFactory(
        owner=world.quangnam,
        period="2013",
        value=Decimal(164),
        source_document="Báo cáo",
    )
    call_command("backup", "-o", str(tmp_path / "b1"), stdout=io.StringIO())
    # Counted after the backup: the backup is audited, and its entry is in it.
    counts = (Unit.objects.count(), DeclaredFigure.objects.count(), AuditEntry.objects.count())
    DeclaredFigure.objects.all().delete()
    (tmp_path / "media" / "docs" / "signed.pdf").unlink()
    call_command("restore", str(tmp_path / "b1"), stdout=io.StringIO())
    assert (Unit.objects.count(), DeclaredFigure.objects.count(), AuditEntry.objects.count()) == counts
    assert (tmp_path / "media" / "docs" / "signed.pdf").read_bytes() == b"%PDF-1.4 test"
    (tmp_path / "b1" / "media" / "docs" / "signed.pdf").write_bytes(b"tampered")
    with translation.override("en"):
        with pytest.raises(CommandError, match="changed"):
            call_command("restore", str(tmp_path / "b1"), stdout=io.StringIO())
        with pytest.raises(CommandError, match="not empty"):
            call_command("backup", "-o", str(tmp_path / "b1"), stdout=io.StringIO())


@pytest.mark.django_db
def test_backup_files_are_readable_by_their_owner_only(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    previous_umask = os.umask(0o022)  # a usual umask: files would be 0o644 and folders 0o755 by default
    try:
        write_media(tmp_path / "media")
        (tmp_path / "media" / "docs" / "signed.pdf").chmod(0o644)
        target = tmp_path / "backup"
        target.mkdir(mode=0o755)  # an empty folder made beforehand is accepted, and closed
        call_command("backup", "-o", str(target), stdout=io.StringIO())
    finally:
        os.umask(previous_umask)
    modes = {
        path.relative_to(tmp_path).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in [target, *sorted(target.rglob("*"))]
    }
    assert "backup/media/agreements/2026/Biên bản ký kết.docx" in modes
    assert "backup/manifest.json" in modes
    expected = {
        name: 0o700 if (tmp_path / name).is_dir() else 0o600 for name in modes if not (tmp_path / name).is_symlink()
    }
    assert modes == expected


@pytest.mark.django_db
def test_verify_audit_expect_head_detects_a_log_cut_at_its_end(world):
    for index in range(5):
        audit("verb", verb=f"test_{index}")
    entries = list(AuditEntry.objects.order_by("id"))
    head = entries[-1]
    with translation.override("en"):
        output = io.StringIO()
        call_command("verify_audit", "--expect-head", head.hash, stdout=output)
        assert "0 entries were written after it" in output.getvalue()
        audit("verb", verb="later")
        audit("verb", verb="later")
        output = io.StringIO()
        call_command("verify_audit", "--expect-head", f"{head.pk}:{head.hash}", stdout=output)
        assert "2 entries were written after it" in output.getvalue()

        # Cut the log after its third entry: the model refuses deletes, SQL does not.
        cut_from = entries[3].pk
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(AuditEntry._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE id >= %s", [cut_from])  # noqa: S608 - the model's own table
        output = io.StringIO()
        call_command("verify_audit", stdout=output)  # the rest still links up: the chain alone cannot tell
        assert "audit chain intact" in output.getvalue()

        errors = io.StringIO()
        with pytest.raises(SystemExit) as exited:
            call_command("verify_audit", "--expect-head", f"{head.pk}:{head.hash}", stderr=errors)
        assert exited.value.code == 1
        message = errors.getvalue()
        assert "truncated" in message
        assert f"ends at entry #{entries[2].pk}" in message
        assert f"the entries numbered #{cut_from} to #{head.pk} are missing" in message
        assert head.hash in message

        # New entries written on the cut log link up too; the recorded head is still missing.
        audit("verb", verb="forged")
        errors = io.StringIO()
        with pytest.raises(SystemExit):
            call_command("verify_audit", "--expect-head", head.hash, stderr=errors)
        assert f"the recorded head {head.hash} is not in the log" in errors.getvalue()

        with pytest.raises(CommandError, match="SHA-256"):
            call_command("verify_audit", "--expect-head", "not-a-hash")


@pytest.mark.django_db
def test_verify_audit_expect_head_on_an_emptied_log(world):
    audit("verb", verb="only")
    head = AuditEntry.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(AuditEntry._meta.db_table)}")  # noqa: S608
    errors = io.StringIO()
    with translation.override("en"), pytest.raises(SystemExit):
        call_command("verify_audit", "--expect-head", head.hash, stderr=errors)
    assert "the log is empty" in errors.getvalue()
