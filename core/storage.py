"""Where uploaded and generated files are kept: under names nobody can guess, behind no public URL.

Files are records too (DESIGN.md, "Where things live"): they are served only by the views of
:mod:`core.files`, which ask the policy of the record that owns the file. The storage makes that the only way:

- every saved name gets a random token (``agreements/2026/<token>_Du_thao.docx``), so that a name read in a
  log, a backup listing or a history entry does not lead to the next file (issue 17, item 4);
- the storage has no base URL: ``field_file.url`` raises instead of linking to ``/media/`` (a template or a
  serializer that still asks for it fails its test rather than publishing a link).

The token is in the name, not in a model field, so that no model migration is needed; the name a person
downloads is the stored one without its token (:func:`original_name`).
"""

from __future__ import annotations

import posixpath
import re
import secrets

from django.core.files.storage import FileSystemStorage, InMemoryStorage

# 16 random bytes: 22 characters of the URL-safe alphabet. A fixed length lets original_name() strip the token
# whatever the file is called.
TOKEN_BYTES = 16
TOKEN_LENGTH = 22
_TOKENED = re.compile(rf"^[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}_(?=.)")


def tokened_name(name: str) -> str:
    """``name`` with a fresh random token before its file name: ``dir/<token>_<file name>``."""
    directory, file_name = posixpath.split(str(name).replace("\\", "/"))
    return posixpath.join(directory, f"{secrets.token_urlsafe(TOKEN_BYTES)}_{file_name}")


def original_name(name: str) -> str:
    """The file name a person uploaded (as the storage cleaned it: spaces become underscores), without the
    folders and the token; a name stored before tokens were added is returned as it is."""
    file_name = posixpath.basename(str(name).replace("\\", "/"))
    return _TOKENED.sub("", file_name, count=1)


class PrivateStorageMixin:
    """Adds a random token to every saved name and refuses to build public URLs."""

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        # Storage.save() then makes the name valid and short enough: it trims the end of the file name (after
        # the token) to fit ``max_length``, so the token always survives.
        return super().save(tokened_name(name), content, max_length=max_length)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Stored files have no public URL: link to the view that serves them (core.files.file_url).")


class PrivateFileSystemStorage(PrivateStorageMixin, FileSystemStorage):
    """The default storage (base and production settings): files under MEDIA_ROOT, never served from there."""


class PrivateInMemoryStorage(PrivateStorageMixin, InMemoryStorage):
    """The default storage of the test settings: the same naming, in memory."""
