from django.urls import path

from core.api.router import register_viewset
from partners.api import views

register_viewset(views.PartnerViewSet)
register_viewset(views.RelationshipViewSet)
register_viewset(views.InteractionViewSet)
register_viewset(views.ContactViewSet)

# Before the router's routes, so that "resolve" is not read as a partner's id.
urlpatterns = [
    path("partners/resolve/", views.ResolveView.as_view(), name="partner-resolve"),
]
