"""Backup and restore of the database and uploaded files, with a checksum manifest.

The database is written with Django's serialiser (the same on SQLite and PostgreSQL, so a backup
moves between them); media files are copied as they are. ``manifest.json`` lists every file with
its SHA-256; restore refuses a backup whose files do not match it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

MANIFEST = "manifest.json"
DATA = "data.json.gz"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_write(directory: Path) -> dict:
    """Write a backup into ``directory`` (created, must be empty); return the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise ValueError(f"{directory} is not empty")
    with gzip.open(directory / DATA, "wt", encoding="utf-8") as handle:
        call_command(
            "dumpdata",
            natural_foreign=False,
            exclude=["contenttypes", "auth.permission", "sessions", "axes"],
            stdout=handle,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, directory / "media")
    files = {
        str(path.relative_to(directory)): _sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    manifest = {"created": timezone.now().isoformat(), "files": files}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def backup_verify(directory: Path) -> list[str]:
    """Problems found: files missing, changed or not listed in the manifest."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        return [f"{MANIFEST} is missing"]
    listed = json.loads(manifest_path.read_text())["files"]
    problems = [f"missing: {name}" for name in listed if not (directory / name).is_file()]
    problems += [
        f"changed: {name}"
        for name, digest in listed.items()
        if (directory / name).is_file() and _sha256(directory / name) != digest
    ]
    present = {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST}
    problems += [f"not in the manifest: {name}" for name in sorted(present - set(listed))]
    return problems


def backup_restore(directory: Path) -> None:
    """Verify, then replace the database content and the media files with the backup's."""
    problems = backup_verify(directory)
    if problems:
        raise ValueError("; ".join(problems))
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(directory / DATA), verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    if (directory / "media").is_dir():
        if media.is_dir():
            shutil.rmtree(media)
        shutil.copytree(directory / "media", media)
