from django.urls import path

from agreements import report, views
from core.views import app_record_urls

app_name = "agreements"

urlpatterns = [
    path("agreements/attention/", views.AttentionView.as_view(), name="attention"),
    path("agreements/report/<str:key>/", report.ReportRenderView.as_view(), name="report_render"),
    *app_record_urls(app_name),
]
