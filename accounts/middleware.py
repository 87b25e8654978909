"""Session time-outs and the two-factor requirement for admin roles."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Only signing in and out and the two-factor page itself are open before the second factor.
_OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/static/",
    "/healthz",
    "/i18n/",
)


class SessionTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any case
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("started_at", now)
            last = request.session.get("last_seen", now)
            if now - last > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?expired=1")
            if now - last >= 30 or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Admins must confirm a TOTP code after the password before they reach any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TWO_FACTOR_REQUIRED_FOR_ADMINS
            and user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                # A session without the second factor may not use the API either (tokens are separate).
                return JsonResponse({"detail": _("Two-factor authentication is required.")}, status=403)
            return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)
