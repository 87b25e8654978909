from agreements.api import views
from core.api.router import register_viewset

register_viewset(views.AgreementViewSet)
register_viewset(views.ConsultationViewSet)
register_viewset(views.AgreementReportViewSet)

urlpatterns: list = []
