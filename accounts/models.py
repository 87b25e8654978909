"""Users and their memberships: a membership ties a user to a unit with a role (accounts.roles)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import ADMIN_ROLES, Role


class User(AbstractUser):
    """A person who signs in. What they may see and do comes only from their memberships."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, default="vi", blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def active_memberships(self) -> list["Membership"]:
        cached = self.__dict__.get("_memberships")
        if cached is None:
            today = timezone.localdate()
            cached = list(
                self.memberships.filter(is_active=True)
                .filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today))
                .select_related("unit")
            )
            self.__dict__["_memberships"] = cached
        return cached

    @property
    def roles(self) -> set[str]:
        return {membership.role for membership in self.active_memberships()}

    @property
    def needs_two_factor(self) -> bool:
        """Admin roles must use TOTP (issue 2, security baseline)."""
        return self.is_superuser or bool(self.roles & ADMIN_ROLES)

    @property
    def home_unit(self):
        memberships = self.active_memberships()
        return memberships[0].unit if memberships else None


class Membership(models.Model):
    """A user's role in a unit. A user may hold several."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("core.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique",
                violation_error_message=_("This user already has this role in this unit."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
