"""Verbs on accounts."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Membership, User
from accounts.roles import NATIONAL_ROLES
from core.audit import audit
from core.choices import AuditAction
from core.scope import forget_scope, scope_for

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


def _ensure_may_manage(actor: User, unit, role: str, request=None) -> None:
    """Accounts are managed within the actor's 'manage_accounts' reach; national roles only nationally."""
    scope = scope_for(actor, "manage_accounts")
    if not scope.covers(unit) or (role in NATIONAL_ROLES and not scope.everything):
        audit(AuditAction.DENIED, user=actor, request=request, verb="manage_accounts", unit=unit)
        denied = PermissionDenied(_("You may not give this role in this unit."))
        denied.audited = True
        raise denied


def user_create(*, actor: User, username: str, full_name: str, email: str, unit, role: str, request=None):
    """Create an account with one membership and a generated password, returned once to show the actor."""
    with transaction.atomic():
        _ensure_may_manage(actor, unit, role, request)
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, email=email, full_name=full_name, password=password)
        Membership.objects.create(user=user, unit=unit, role=role)
        audit(
            AuditAction.VERB,
            user=actor,
            request=request,
            verb="user_create",
            obj=user,
            unit=unit,
            detail={"role": role},
        )
    return user, password


def membership_add(*, actor: User, user: User, unit, role: str, request=None):
    """Give ``user`` a role in ``unit``."""
    with transaction.atomic():
        _ensure_may_manage(actor, unit, role, request)
        membership, _created = Membership.objects.update_or_create(
            user=user, unit=unit, role=role, defaults={"is_active": True}
        )
        audit(AuditAction.VERB, user=actor, request=request, verb="membership_add", obj=membership, unit=unit)
    forget_scope(user)
    return membership


def membership_end(*, actor: User, membership, request=None) -> None:
    """End a membership (kept, inactive, for the record)."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _ensure_may_manage(actor, membership.unit, membership.role, request)
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit(
            AuditAction.VERB, user=actor, request=request, verb="membership_end", obj=membership, unit=membership.unit
        )
