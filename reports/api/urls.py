from core.api.router import register_viewset
from reports.api import views

register_viewset(views.ReportingRegimeViewSet)
register_viewset(views.SubmissionViewSet)
register_viewset(views.ReportingPeriodViewSet)
register_viewset(views.ReportViewSet)

urlpatterns: list = []
