from django.urls import path

from core.api.router import router
from partners.api import views

router.register("partners", views.PartnerViewSet, basename="partner")
router.register("relationships", views.RelationshipViewSet, basename="relationship")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("contacts", views.ContactViewSet, basename="contact")

# Before the router's routes, so that "resolve" is not read as a partner's id.
urlpatterns = [
    path("partners/resolve/", views.ResolveView.as_view(), name="partner-resolve"),
]
