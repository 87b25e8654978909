"""Links to stored files through the views that ask their owner's policy (core.files), never to /media/."""

from django import template

from core import files

register = template.Library()


@register.filter
def file_url(field_file) -> str:
    """``{{ document.file|file_url }}``: the address that serves the file; "" when there is none."""
    return files.file_url(field_file)


@register.filter
def file_name(field_file) -> str:
    """``{{ document.file|file_name }}``: the name the file is downloaded under (without the storage's token)."""
    return files.download_name(field_file) if field_file else ""
