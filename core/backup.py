"""Backup and restore of the database and uploaded files, with a checksum manifest (issue 17, item 10).

The database is written as a Django fixture (JSON, gzipped): the same on SQLite and PostgreSQL, so a backup
moves between them, and ``loaddata`` reads it. Unlike ``dumpdata``'s defaults, a backup holds:

- every row, records in the trash too: rows are read through each model's base manager, not through the
  default manager that hides the trash (``RegistryModel.objects``);
- timestamps to the microsecond: Django's JSON encoder cuts them to milliseconds, which would change
  ``updated_at`` values and break the audit chain, whose hashes cover ``AuditEntry.at`` to the microsecond;
- many-to-many links as rows of their own tables, with their ids: read through the related manager, a link to
  a record in the trash would be left out;
- the content types and permissions with their ids, so that what refers to them still does after a restore.

Sign-in sessions are left out: they are secrets that expire, and a restored server signs everyone in again.

``manifest.json`` lists every file with its SHA-256, the number of rows of every table, and the head of the
audit chain (id and hash of the last entry): ``verify_audit --expect-head`` then detects a log that lost
entries since the backup, and restore checks that the database it wrote holds what the backup held. Restore
refuses a backup whose files do not match the manifest.

The files are readable by their owner only (0o600, folders 0o700): a backup holds personal data
(Decree 13/2023/NĐ-CP) and the hashes of passwords.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers import json as json_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import system_user
from core.audit import audit
from core.choices import AuditAction
from core.models import AuditEntry
from core.policy import exempt

MANIFEST = "manifest.json"
DATA = "data.json.gz"
MEDIA = "media"
# 1: dumpdata's defaults (no trash, milliseconds, no content types); 2: everything, to the microsecond.
FORMAT = 2
EXCLUDED_MODELS = frozenset({"sessions.session"})
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


@dataclass(frozen=True)
class RestoreReport:
    """What a restore wrote: rows per table, media files, and the audit chain's head as the backup recorded it."""

    rows: dict[str, int]
    files: int
    audit_head: dict | None


# Writing


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, except that times keep their microseconds (Django cuts them to milliseconds, as
    ECMA-262 dates have them; a backup must give back what it was given)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(json_serializer.Serializer):
    """Django's JSON serializer with the exact encoder. Many-to-many values are left out of their records:
    the link tables are written as models of their own (see :func:`_models`)."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = _ExactEncoder

    def handle_m2m_field(self, obj, field):
        pass


def _models() -> list:
    """The models a backup holds, each followed by its many-to-many link tables."""
    found = []
    for model in serializers.sort_dependencies(
        [(config, list(config.get_models())) for config in apps.get_app_configs()], allow_cycles=True
    ):
        meta = model._meta
        if meta.proxy or meta.label_lower in EXCLUDED_MODELS:
            continue
        if not router.allow_migrate_model(DEFAULT_DB_ALIAS, model):
            continue
        found.append(model)
        found += [
            field.remote_field.through
            for field in meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    return found


def _rows(model):
    # The base manager sees the trash (RegistryModel sets it to ``all_objects``); the default manager does not.
    return model._base_manager.using(DEFAULT_DB_ALIAS).order_by(model._meta.pk.name)


def _counts(models) -> dict[str, int]:
    return {model._meta.label: _rows(model).count() for model in models}


def _audit_head() -> dict | None:
    """Id and hash of the audit log's last entry, or None for an empty log."""
    return AuditEntry.objects.order_by("-id").values("id", "hash").first()


def _private_directory(path: Path) -> None:
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    # mkdir's mode goes through the umask, and a folder that existed keeps its own: set it outright.
    path.chmod(DIRECTORY_MODE)


def _private_file(path: Path):
    """A new file open for writing, readable by its owner only from its creation on (never briefly 0o644)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return os.fdopen(descriptor, "wb")


def _copy_tree(source: Path, target: Path, *, private: bool) -> None:
    """Copy the regular files under ``source`` into the existing folder ``target``. ``private``: owner-only modes
    (a backup); otherwise the modes the storage gives an upload (a restore: FileSystemStorage reads the same
    settings). ``shutil.copytree`` would keep each file's mode, which is what neither wants."""
    file_mode = FILE_MODE if private else settings.FILE_UPLOAD_PERMISSIONS
    directory_mode = DIRECTORY_MODE if private else settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS
    for root, directories, files in os.walk(source):
        here = target / Path(root).relative_to(source)
        for name in directories:
            (here / name).mkdir(mode=DIRECTORY_MODE if private else 0o777)
            if directory_mode is not None:
                (here / name).chmod(directory_mode)
        for name in files:
            if not (Path(root) / name).is_file():
                continue
            with (
                (Path(root) / name).open("rb") as reader,
                _private_file(here / name) if private else (here / name).open("xb") as writer,
            ):
                shutil.copyfileobj(reader, writer, 1 << 20)
            if file_mode is not None:
                (here / name).chmod(file_mode)


@contextlib.contextmanager
def _snapshot():
    """One consistent view of the database for the whole backup, so that rows, counts and the audit head agree.

    PostgreSQL: a REPEATABLE READ transaction, which other sessions keep writing beside. SQLite: the transaction
    takes the write lock at BEGIN (``transaction_mode=IMMEDIATE``), so writers queue until the backup ends.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Only the outermost transaction may set its isolation; inside one (a test's), its own view serves.
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _listed_files(directory: Path) -> dict[str, str]:
    return {
        path.relative_to(directory).as_posix(): _sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def backup_write(directory: Path) -> dict:
    """Write a backup into ``directory`` (created, must be empty); return the manifest.

    The backup is an export of every record, so it is audited first; the entry is in the backup, and its head.
    """
    if directory.exists() and not directory.is_dir():
        raise ValueError(_("%(directory)s is not a folder") % {"directory": directory})
    # Checked before anything is written or audited: a folder that holds something is left as it was.
    if directory.is_dir() and any(directory.iterdir()):
        raise ValueError(_("%(directory)s is not empty") % {"directory": directory})
    _private_directory(directory)
    with exempt("a backup holds every row of every unit"):
        audit(AuditAction.EXPORT, user=system_user(), verb="backup", detail={"backup": str(directory)})
        with _snapshot():
            models = _models()
            rows = _counts(models)
            head = _audit_head()
            with (
                _private_file(directory / DATA) as raw,
                gzip.GzipFile(fileobj=raw, mode="wb") as zipped,
                io.TextIOWrapper(zipped, encoding="utf-8") as text,
            ):
                objects = (row for model in models for row in _rows(model).iterator(chunk_size=2000))
                _Serializer().serialize(objects, stream=text)
            # Inside the snapshot, so that the files match the rows as closely as the database allows. The
            # folder is written even when empty: restoring the backup then leaves no file it did not hold.
            _private_directory(directory / MEDIA)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                _copy_tree(media, directory / MEDIA, private=True)
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "audit_head": head,
        "rows": rows,
        "files": _listed_files(directory),
    }
    with _private_file(directory / MANIFEST) as handle:
        handle.write(json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    return manifest


# Checking and restoring


def backup_manifest(directory: Path) -> dict:
    """The manifest of the backup in ``directory``."""
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def backup_verify(directory: Path) -> list[str]:
    """Problems found: files missing, changed or not listed in the manifest."""
    if not (directory / MANIFEST).is_file():
        return [_("%(name)s is missing") % {"name": MANIFEST}]
    listed = backup_manifest(directory)["files"]
    problems = [_("missing: %(name)s") % {"name": name} for name in listed if not (directory / name).is_file()]
    problems += [
        _("changed: %(name)s") % {"name": name}
        for name, digest in listed.items()
        if (directory / name).is_file() and _sha256(directory / name) != digest
    ]
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST}
    problems += [_("not in the manifest: %(name)s") % {"name": name} for name in sorted(present - set(listed))]
    return problems


def _restore_problems(manifest: dict) -> list[str]:
    """Differences between the database just loaded and what the manifest says the backup held."""
    problems = []
    for label, expected in manifest.get("rows", {}).items():
        found = _rows(apps.get_model(label)).count()
        if found != expected:
            problems.append(
                _("%(table)s: %(found)d rows instead of %(expected)d")
                % {"table": label, "found": found, "expected": expected}
            )
    if "audit_head" in manifest and _audit_head() != manifest["audit_head"]:
        problems.append(_("the audit log does not end at the entry the backup recorded"))
    return problems


def _stage_media(directory: Path, manifest: dict) -> Path | None:
    """Copy the backup's media files next to MEDIA_ROOT and check them against the manifest; None if the backup
    has no media folder. Staged first, so that a failed copy (a full disk) leaves the current files alone."""
    if not (directory / MEDIA).is_dir():
        return None
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent))
    try:
        _copy_tree(directory / MEDIA, staged, private=False)
        prefix = f"{MEDIA}/"
        expected = {
            name[len(prefix) :]: digest for name, digest in manifest["files"].items() if name.startswith(prefix)
        }
        copied = {path.relative_to(staged).as_posix(): _sha256(path) for path in staged.rglob("*") if path.is_file()}
        if copied != expected:
            raise ValueError(_("the media files could not be copied intact into %(folder)s") % {"folder": staged})
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _replace_media(staged: Path) -> None:
    """Make MEDIA_ROOT hold exactly the staged files. The folder itself stays (it may be a mount point)."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    for child in media.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in staged.iterdir():
        shutil.move(child, media / child.name)
    staged.rmdir()


def backup_restore(directory: Path) -> RestoreReport:
    """Verify the backup, then replace the database content and the media files with the backup's.

    The database is replaced in one transaction, and checked before it commits: the rows of every table must
    number what the manifest says, and the audit log must end at the head it recorded. Any difference rolls
    everything back. The media files are replaced only after the database committed.
    """
    problems = backup_verify(directory)
    if problems:
        raise ValueError("; ".join(problems))
    manifest = backup_manifest(directory)
    staged = _stage_media(directory, manifest)
    try:
        with exempt("a restore writes every row of every unit"), transaction.atomic():
            # A format-2 backup holds the content types and permissions with their ids: post_migrate must not
            # make its own first. An older backup left them out, so they are made again as after a migrate.
            complete = manifest.get("format", 1) >= 2
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=complete)
            call_command("loaddata", str(directory / DATA), verbosity=0)
            problems = _restore_problems(manifest)
            if problems:
                raise ValueError(
                    _("the restored database differs from the backup: %(problems)s") % {"problems": "; ".join(problems)}
                )
    except BaseException:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        raise
    finally:
        # Content types are cached by id per process; the ids may have changed.
        ContentType.objects.clear_cache()
    if staged is not None:
        _replace_media(staged)
    files = sum(1 for name in manifest["files"] if name.startswith(f"{MEDIA}/"))
    return RestoreReport(rows=manifest.get("rows", {}), files=files, audit_head=manifest.get("audit_head"))
