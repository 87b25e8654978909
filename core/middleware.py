"""Vietnamese is the default language whatever the browser asks for; English is chosen explicitly
(the language switch sets a cookie, which LocaleMiddleware honours)."""


class DefaultLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Officials' browsers are often set to English; the product's users read Vietnamese first.
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class AuditDeniedMiddleware:
    """Every refusal (PermissionDenied anywhere in a view) leaves one audit entry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied

        from core.audit import audit
        from core.choices import AuditAction

        if isinstance(exception, PermissionDenied) and not getattr(exception, "audited", False):
            audit(AuditAction.DENIED, request=request, detail={"path": request.path[:300], "method": request.method})


class PolicyTripwireMiddleware:
    """While a request is served, a scoped query that skipped its policy fails (core.policy; on in tests)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core.policy import watching

        with watching():
            return self.get_response(request)
