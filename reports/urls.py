from django.urls import path

from core.views import app_record_urls
from reports import (
    registries,  # noqa: F401 - the record types are registered before their URLs are listed
    views,
)

app_name = "reports"

urlpatterns = [
    path("reports/register/", views.RegisterView.as_view(), name="register"),
    path("reports/register/remind/", views.RemindView.as_view(), name="remind"),
    path("reports/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("reports/national/", views.NationalReportView.as_view(), name="national"),
    *app_record_urls(app_name),
]
