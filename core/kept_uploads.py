"""Files kept after an error elsewhere on the form (issue 18, item 7: "chosen files are lost after an error").

A browser never sends a chosen file twice: when a form comes back with an error in another field, its file inputs
are empty again, and the person had to find the file once more. So a file that passed the upload gate
(core.uploads.check_upload, called by the form) is kept on the server while the form is shown again:

- :func:`keep_uploads` (when the form is shown again after an error) stores each file that was accepted, that is
  whose field has no error, through the private storage as an import's accepted file waits for its confirmation
  (core.files.keep_pending_upload: a random name, no public URL, removed once no session can refer to it), and
  records a random token in the person's session, with the person and the time;
- the file input then shows "Đã chọn tệp: <name> (giữ lại sau khi sửa lỗi)" with a box to remove it, and carries
  the token in a hidden field ``<input name>__kept`` (core.forms.StoredFileInput);
- :func:`restore_kept_uploads` (before the next post is bound to its form) puts the kept file back among the
  request's files, where the form checks it again through the gate like any upload, unless the person chose
  another file or ticked the box to remove it. A token is only honoured in the session that made it, for the
  person who made it, for :data:`KEPT_FOR`;
- :func:`release_kept_uploads` removes the files once the record is saved.

A file the gate refused (a hostile file, a state-secret stamp) has an error on its field and is never kept.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from core.files import discard_upload, keep_pending_upload
from core.uploads import UploadKind, UploadRejected, check_upload

# The hidden field that names a kept file, and the box that removes it: ``<the file input's name>__kept``.
KEPT_SUFFIX = "__kept"
DROP_SUFFIX = "__drop"
SESSION_KEY = "kept_uploads"
# Long enough to correct a form, shorter than a day's session: a file left behind is not offered the next morning.
KEPT_FOR = dt.timedelta(hours=2)


class KeptUpload(SimpleUploadedFile):
    """A file accepted on an earlier post of the same form, put back among the request's files; ``kept_token``
    is the token that names it in the session."""

    def __init__(self, *, token: str, name: str, content: bytes, content_type: str):
        super().__init__(name, content, content_type or "application/octet-stream")
        self.kept_token = token


def _entries(request) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _save(request, entries: dict) -> None:
    if entries:
        request.session[SESSION_KEY] = entries
    else:
        request.session.pop(SESSION_KEY, None)


def _usable(entry: dict, user) -> bool:
    """Whether ``entry`` was kept for ``user`` less than :data:`KEPT_FOR` ago."""
    try:
        kept_at = dt.datetime.fromisoformat(entry["at"])
    except (KeyError, TypeError, ValueError):
        return False
    return entry.get("user") == user.pk and timezone.now() - kept_at < KEPT_FOR


def restore_kept_uploads(request) -> list[str]:
    """Put back among ``request.FILES`` each kept file the post names (``<input name>__kept``), before the form is
    bound to the post; return the tokens put back, for :func:`release_kept_uploads` once the record is saved.

    A newly chosen file replaces the kept one, the box ``<input name>__drop`` removes it, and a token of another
    session or person, or past :data:`KEPT_FOR`, is ignored (the field is then empty, as the browser sent it)."""
    entries = _entries(request)
    restored: list[str] = []
    changed = False
    for key in list(request.POST):
        if not key.endswith(KEPT_SUFFIX):
            continue
        field_name = key.removesuffix(KEPT_SUFFIX)
        token = request.POST.get(key, "")
        entry = entries.get(token)
        if entry is None:
            continue
        if (
            not _usable(entry, request.user)
            or request.FILES.get(field_name)
            or request.POST.get(field_name + DROP_SUFFIX)
        ):
            discard_upload(entry.get("path", ""))
            del entries[token]
            changed = True
            continue
        try:
            with default_storage.open(entry["path"], "rb") as handle:
                content = handle.read()
        except (FileNotFoundError, OSError):
            del entries[token]
            changed = True
            continue
        request.FILES[field_name] = KeptUpload(
            token=token, name=entry["name"], content=content, content_type=entry.get("content_type", "")
        )
        restored.append(token)
    if changed:
        _save(request, entries)
    return restored


def keep_uploads(request, items) -> None:
    """Keep each file of ``items`` (a form, a formset, or None) that the gate accepted, while the page is shown
    again with errors: its field has no error, and its row is not being deleted. The file is replaced in the
    form's files by a :class:`KeptUpload`, which the file input shows by name with its token."""
    entries = _entries(request)
    changed = False
    for form in _every_form(items):
        if not form.is_bound or not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
            continue
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            upload = form.files.get(key) if hasattr(form.files, "get") else None
            if not isinstance(field, forms.FileField) or not isinstance(upload, UploadedFile) or name in form.errors:
                continue
            if isinstance(upload, KeptUpload) and upload.kept_token in entries:
                continue  # kept on an earlier post and still valid
            if not _passes_gate(upload, request):
                continue
            upload.seek(0)
            content = upload.read()
            upload.seek(0)
            token = secrets.token_urlsafe(24)
            path = keep_pending_upload(content, user=request.user, name=upload.name)
            entries[token] = {
                "path": path,
                "name": upload.name,
                "content_type": getattr(upload, "content_type", "") or "",
                "user": request.user.pk,
                "at": timezone.now().isoformat(),
            }
            changed = True
            form.files[key] = KeptUpload(
                token=token, name=upload.name, content=content, content_type=entries[token]["content_type"]
            )
    if changed:
        _save(request, entries)


def release_kept_uploads(request, tokens: list[str]) -> None:
    """Remove the kept files ``tokens`` name (their record is saved with its own copy of each)."""
    if not tokens:
        return
    entries = _entries(request)
    for token in tokens:
        entry = entries.pop(token, None)
        if entry is not None:
            discard_upload(entry.get("path", ""))
    _save(request, entries)


def _passes_gate(upload, request) -> bool:
    """Whether ``upload`` passes the upload gate as any accepted kind. The form checked it already (its field has
    no error); checking here too means that no file is kept that the gate has not read, whatever a form does. The
    form's own check (its kinds, the person's attestation) runs again when the kept file is posted back."""
    try:
        check_upload(upload, allowed=UploadKind.values, attested_not_secret=True, user=request.user, request=request)
    except UploadRejected:
        return False
    finally:
        upload.seek(0)
    return True


def _every_form(items):
    for item in items:
        if item is None:
            continue
        if hasattr(item, "forms"):  # a formset: its rows
            yield from item.forms
        else:
            yield item
