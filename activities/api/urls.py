from activities.api import views
from core.api.router import register_viewset

register_viewset(views.DelegationViewSet)
register_viewset(views.DelegationMemberViewSet)
register_viewset(views.DelegationRulesViewSet)
register_viewset(views.EventViewSet)
register_viewset(views.AwardViewSet)
register_viewset(views.ConferenceViewSet)
register_viewset(views.PressVisitViewSet)

urlpatterns: list = []
