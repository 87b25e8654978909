from django.urls import path

from agreements import registries, report, views
from core.views import record_urls

app_name = "agreements"

urlpatterns = [
    path("agreements/attention/", views.AttentionView.as_view(), name="attention"),
    path("agreements/report/<str:key>/", report.ReportRenderView.as_view(), name="report_render"),
    path("agreements/<int:pk>/act/", views.AgreementActView.as_view(), name="agreement_act"),
    path("consultations/<int:pk>/reply/", views.ReplyView.as_view(), name="consultation_reply"),
    *record_urls(registries.AGREEMENTS),
    *record_urls(registries.CONSULTATIONS),
    *record_urls(registries.AGREEMENT_REPORTS),
]
