from agreements.api import views
from core.api.router import router

router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("agreement-reports", views.AgreementReportViewSet, basename="agreementreport")

urlpatterns: list = []
