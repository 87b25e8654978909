from django.urls import path

from core.views import record_urls
from partners import pages, registries, views

app_name = "partners"

urlpatterns = [
    path("partners/portfolio/<str:key>/", pages.PortfolioView.as_view(), name="portfolio"),
    path("partners/options/", views.PartnerOptionsView.as_view(), name="partner_options"),
    path("partners/<int:pk>/merge/", views.PartnerMergeView.as_view(), name="partner_merge"),
    path("relationships/<int:pk>/status/", views.RelationshipStatusView.as_view(), name="relationship_status"),
    *record_urls(registries.PARTNERS),
    *record_urls(registries.PARTNER_ALIASES),
    *record_urls(registries.RELATIONSHIPS),
    *record_urls(registries.INTERACTIONS),
    *record_urls(registries.CONTACTS),
]
