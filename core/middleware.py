"""Vietnamese is the default language whatever the browser asks for; English is chosen explicitly
(the language switch sets a cookie, which LocaleMiddleware honours)."""


class DefaultLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Officials' browsers are often set to English; the product's users read Vietnamese first.
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
