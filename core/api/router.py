"""The one router behind ``/api/v1/``: every app registers its viewsets here (from its ``api/urls.py``),
so the API root lists every resource of CONTRACT.md."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
