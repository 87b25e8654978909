from django.urls import path

from activities import (
    registries,  # noqa: F401 - the record types are registered before their URLs are listed
    statistics,
)
from core.views import app_record_urls

app_name = "activities"

urlpatterns = [
    path("activities/statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path("activities/calendar/", statistics.CalendarView.as_view(), name="calendar"),
    *app_record_urls(app_name),
]
