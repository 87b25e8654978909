"""Files are records too: uploaded and generated files are served only through views that ask the policy of the
record that owns them, never from a public media URL (DESIGN.md, "Where things live"; issue 17, item 4).

A file field is served once it is declared, in its app's ``files.py``, by a :class:`ServedFile`: the model, the
file field and the foreign key to the record that owns the file (an agreement's document belongs to the
agreement). One view (:class:`FileView`, URL name ``core:file``) serves every declared field; templates link to
it with ``{{ record.file|file_url }}`` (``{% load files %}``), forms through :class:`core.forms.StoredFileInput`,
the API through :class:`core.api.fields.StoredFileField`. Job results are served to the job's creator by
``core:job_download`` with the same :func:`file_response`.

The file is streamed by Django, or handed to the web server (``X-Sendfile``, ``X-Accel-Redirect``) after the
policy allowed it, as the setting FILE_SERVING says (README, "Files").

Imports keep the accepted file between the preview and the confirmation (:func:`keep_pending_upload`); the file
is removed when the import job ends, however it ends (:func:`discards_upload`), and files of previews nobody
confirmed are removed once no session can still refer to them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import mimetypes
import posixpath
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.views import View

from core.storage import original_name

FILE_SERVING_MODES = ("django", "x-sendfile", "x-accel-redirect")
# Where an import's accepted file waits for the person's confirmation (core.views.RecordImportView).
PENDING_DIR = "imports"


@dataclasses.dataclass(frozen=True)
class ServedFile:
    """A file field served through the policy of the record that owns it.

    ``slug`` names it in the URL (``/files/<slug>/<pk>/``); ``owner`` is the foreign key from ``model`` to the
    owning record, empty when the row is the record itself (an interaction owns its attachment).
    """

    slug: str
    model: type[models.Model]
    field: str
    owner: str = ""

    @property
    def owner_model(self) -> type[models.Model]:
        return self.model._meta.get_field(self.owner).related_model if self.owner else self.model

    def rows(self, user):
        """The rows whose file ``user`` may download: those the row's policy lets the user view, and whose owning
        record the owner's policy lets the user view (so that a record in the trash keeps its files to itself)."""
        rows = self.model._default_manager.restrict(user, "view")
        if self.owner:
            owners = self.owner_model._default_manager.restrict(user, "view")
            rows = rows.filter(**{f"{self.owner}__in": owners.values("pk")})
        return rows


_SERVED: dict[str, ServedFile] = {}
_BY_FIELD: dict[tuple[type[models.Model], str], ServedFile] = {}


def serve(served: ServedFile) -> ServedFile:
    """Declare ``served`` (from an app's ``files.py``, imported by its AppConfig.ready())."""
    served.model._meta.get_field(served.field)  # a misspelt field fails at start-up
    if served.owner:
        served.model._meta.get_field(served.owner)
    known = _SERVED.get(served.slug)
    if known is not None and known != served:
        raise ValueError(f"two served files are called {served.slug!r}")
    _SERVED[served.slug] = served
    _BY_FIELD[(served.model, served.field)] = served
    return served


def served_file(model: type[models.Model], field: str) -> ServedFile:
    """The declaration of ``model.field``; LookupError when the field is not served."""
    try:
        return _BY_FIELD[(model, field)]
    except KeyError:
        raise LookupError(f"{model._meta.label}.{field} is not declared with core.files.serve()") from None


def file_url(field_file) -> str:
    """The address that serves ``field_file`` (a model's FieldFile) through its owner's policy; "" when empty."""
    if not field_file or field_file.instance.pk is None:
        return ""
    served = served_file(type(field_file.instance), field_file.field.name)
    return reverse("core:file", kwargs={"kind": served.slug, "pk": field_file.instance.pk})


def file_link(field_file) -> str:
    """A download link to ``field_file``, named by the file's original name; "" when empty."""
    url = file_url(field_file)
    if not url:
        return ""
    return format_html('<a href="{}" download><i class="bi bi-download"></i> {}</a>', url, download_name(field_file))


def download_name(field_file) -> str:
    """The name a person downloads ``field_file`` under: the stored name without its folders and token."""
    return original_name(field_file.name)


def file_response(field_file, *, filename: str = "") -> HttpResponse:
    """The response that sends ``field_file`` as a download named ``filename`` (by default its original name).

    Call it only after the policy allowed the file. With FILE_SERVING "django" the file is streamed from the
    storage; with "x-sendfile" or "x-accel-redirect" the response carries no body, only the header that tells the
    web server which file to send (the storage must then be on the web server's disk). 404 when the file is gone.
    """
    name = field_file.name if field_file else ""
    if not name:
        raise Http404
    storage = field_file.storage
    filename = filename or original_name(name)
    mode = getattr(settings, "FILE_SERVING", "django")
    if mode == "django":
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=True, filename=filename)
    else:
        if not storage.exists(name):
            raise Http404
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        # Percent-encoded: headers are Latin-1, stored names keep their Vietnamese letters. nginx decodes the
        # X-Accel-Redirect URI; Apache's mod_xsendfile decodes X-Sendfile (XSendFileUnescape, on by default).
        if mode == "x-sendfile":
            response["X-Sendfile"] = quote(storage.path(name))
        else:
            prefix = settings.X_ACCEL_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name.lstrip('/'))}"
    # Files behind a sign-in are kept out of shared caches and the browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response


class FileView(LoginRequiredMixin, View):
    """A declared file, to those whose policy lets them view the record that owns it; 404 otherwise (the
    record's existence is not disclosed), as for a record or a file that does not exist."""

    def get(self, request, kind: str, pk: int):
        served = _SERVED.get(kind)
        if served is None:
            raise Http404
        row = get_object_or_404(served.rows(request.user), pk=pk)
        return file_response(getattr(row, served.field))


# --- Files waiting for a confirmation ------------------------------------------------------------------------


def keep_pending_upload(content: bytes, *, user, name: str, replacing: str = "") -> str:
    """Store an accepted import file until the person confirms it, and return its name in the storage.

    ``replacing`` is the file of the person's previous preview, which no confirmation can reach any more. Files of
    previews older than a session can live (SESSION_COOKIE_AGE) are removed on the way: nobody can confirm them.
    """
    discard_upload(replacing)
    discard_stale_uploads()
    return default_storage.save(posixpath.join(PENDING_DIR, str(user.pk), name), ContentFile(content))


def discard_upload(name: str) -> None:
    """Remove the pending import file ``name``, if it is one and is still there (anything else is left alone)."""
    if not name or not _is_pending(name):
        return
    if default_storage.exists(name):
        default_storage.delete(name)


def discard_stale_uploads(older_than: dt.timedelta | None = None) -> int:
    """Remove pending import files older than ``older_than`` (by default the longest a session lives); return how
    many were removed."""
    if older_than is None:
        older_than = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    cutoff = timezone.now() - older_than
    removed = 0
    for name in _walk(PENDING_DIR):
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


def discards_upload(param: str) -> Callable:
    """Decorate a job kind whose ``job.params[param]`` names a pending import file: the file is removed when the
    job ends, whether the import succeeded, found the file invalid or failed with an exception."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(job, progress):
            try:
                return function(job, progress)
            finally:
                discard_upload(str((job.params or {}).get(param, "")))

        return run

    return decorate


def _is_pending(name: str) -> bool:
    normalized = posixpath.normpath(str(name).replace("\\", "/"))
    return normalized.startswith(PENDING_DIR + "/") and ".." not in normalized.split("/")


def _walk(directory: str):
    try:
        folders, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError, NotImplementedError):
        return
    for file_name in files:
        yield posixpath.join(directory, file_name)
    for folder in folders:
        yield from _walk(posixpath.join(directory, folder))


# --- The system check -------------------------------------------------------------------------------------


@checks.register()
def check_files_are_served(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every file field of the project's models is declared with :func:`serve` (or served by its own view), so that
    no file is left without a way to reach it through its policy."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    from core.models import Job

    errors = []
    for model in apps.get_models():
        if not _is_project_app(model._meta.app_config.path) or issubclass(model, HistoricalChanges):
            continue  # third-party apps, and the history of a record (its versions are not served)
        if model is Job:
            continue  # Job.result_file: core.views.JobDownloadView, to the job's creator
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and (model, field.name) not in _BY_FIELD:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} is not served: declare it with core.files.serve()",
                        obj=model,
                        id="core.E101",
                    )
                )
    return errors


def _is_project_app(path: str) -> bool:
    from pathlib import Path

    location = Path(path).resolve()
    return location.is_relative_to(Path(settings.BASE_DIR).resolve()) and "site-packages" not in location.parts
