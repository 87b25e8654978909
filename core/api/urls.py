from django.urls import path

from core.api import views
from core.api.router import router

router.register("units", views.UnitViewSet, basename="unit")
router.register("countries", views.CountryViewSet, basename="country")
router.register("foreign-subdivisions", views.ForeignSubdivisionViewSet, basename="foreignsubdivision")
router.register("fields", views.FieldViewSet, basename="field")
router.register("currencies", views.CurrencyViewSet, basename="currency")
router.register("declared-figures", views.DeclaredFigureViewSet, basename="declaredfigure")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("jobs", views.JobViewSet, basename="job")

# Routes beyond the router's; config.api puts them before the router's own.
urlpatterns = [
    path("indicators/<str:code>/value/", views.IndicatorViewSet.as_view({"get": "value"}), name="indicator-value"),
]
