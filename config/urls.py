from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.api import api_urlpatterns
from core.views import healthz

urlpatterns = [
    # The API first: a request is matched against the patterns in order, and the pages' come to some two hundred.
    path("api/v1/", include(api_urlpatterns())),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("partners.urls")),
    path("", include("agreements.urls")),
    path("", include("activities.urls")),
    path("", include("reports.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# No route serves MEDIA_ROOT, in development or production: uploaded and generated files are served only by views
# that ask the owning record's policy (core.files, core:job_download; issue 17, item 4).
