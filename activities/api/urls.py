from activities.api import views
from core.api.router import register_viewset

register_viewset(views.DelegationViewSet)
register_viewset(views.DelegationMemberViewSet)

urlpatterns: list = []
