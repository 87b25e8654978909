from django.urls import path

from core.views import app_record_urls
from partners import pages, views

app_name = "partners"

urlpatterns = [
    path("partners/portfolio/<str:key>/", pages.PortfolioView.as_view(), name="portfolio"),
    path("partners/options/", views.PartnerOptionsView.as_view(), name="partner_options"),
    *app_record_urls(app_name),
]
