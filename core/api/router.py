"""The one router behind ``/api/v1/``: every app registers its viewsets here (from its ``api/urls.py``),
so the API root lists every resource of CONTRACT.md."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def register_viewset(viewset) -> None:
    """Serve a record type's viewset at the record type's slug: each path has one source (core.records)."""
    record_type = viewset.record_type
    router.register(record_type.slug, viewset, basename=record_type.model._meta.model_name)
