"""Backup and restore: every row comes back; a changed file is refused."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry, DeclaredFigure, Unit
from core.testing.factories import DeclaredFigureFactory


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
    counts = (Unit.objects.count(), DeclaredFigure.objects.count(), AuditEntry.objects.count())
    call_command("backup", "-o", str(tmp_path / "b1"), stdout=io.StringIO())
    DeclaredFigure.objects.all().delete()
    (tmp_path / "media" / "docs" / "signed.pdf").unlink()
    call_command("restore", str(tmp_path / "b1"), stdout=io.StringIO())
    assert (Unit.objects.count(), DeclaredFigure.objects.count(), AuditEntry.objects.count()) == counts
    assert (tmp_path / "media" / "docs" / "signed.pdf").read_bytes() == b"%PDF-1.4 test"
    (tmp_path / "b1" / "media" / "docs" / "signed.pdf").write_bytes(b"tampered")
    with pytest.raises(CommandError, match="changed"):
        call_command("restore", str(tmp_path / "b1"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "-o", str(tmp_path / "b1"), stdout=io.StringIO())
