"""Serializer fields shared by the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.files import file_url


@extend_schema_field(OpenApiTypes.URI)
class StoredFileField(serializers.Field):
    """A stored file, read-only: the absolute address of the view that serves it through the owning record's
    policy (core.files), or null. Never a public media URL (issue 17, item 4)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return (
            getattr(instance, self.source_attrs[-1]) if len(self.source_attrs) == 1 else super().get_attribute(instance)
        )

    def to_representation(self, value):
        url = file_url(value)
        if not url:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
