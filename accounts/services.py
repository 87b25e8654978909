"""Verbs on accounts."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User
from core.audit import audit
from core.choices import AuditAction

SYSTEM_USERNAME = "system"


def system_user() -> User:
    """The account that management commands act as: all scope, and no password, so it cannot sign in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_superuser": True, "full_name": "Hệ thống"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def api_token_create(*, user: User, actor: User | None = None) -> str:
    """Replace the user's API token with a new one and return its key (shown once)."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        audit(AuditAction.VERB, user=actor or system_user(), verb="api_token_create", obj=user)
    return token.key
