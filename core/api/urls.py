from django.urls import path

from core.api import views
from core.api.router import register_viewset, router

register_viewset(views.UnitViewSet)
register_viewset(views.CountryViewSet)
register_viewset(views.ForeignSubdivisionViewSet)
register_viewset(views.FieldViewSet)
register_viewset(views.CurrencyViewSet)
register_viewset(views.DeclaredFigureViewSet)
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("jobs", views.JobViewSet, basename="job")

# Routes beyond the router's; config.api puts them before the router's own.
urlpatterns = [
    path("indicators/<str:code>/value/", views.IndicatorViewSet.as_view({"get": "value"}), name="indicator-value"),
]
