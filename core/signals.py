"""Audit of authentication events (login, failed login, logout)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit import audit
from core.choices import AuditAction


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit(AuditAction.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(AuditAction.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username is kept: never the password that was tried.
    audit(AuditAction.LOGIN_FAILED, request=request, username=str(credentials.get("username", ""))[:150])
