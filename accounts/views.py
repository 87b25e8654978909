"""Sign-in, two-factor set-up and confirmation, sign-out."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import LoginForm, MembershipForm, TokenForm, UserCreateForm
from accounts.models import Membership, User
from accounts.services import SYSTEM_USERNAME, membership_add, membership_end, user_create
from core.scope import scope_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")


@login_required
def two_factor(request):
    """Set up TOTP (first time: a QR code to scan) or confirm a code; a used code cannot be reused
    (django-otp keeps the last time step)."""
    device = TOTPDevice.objects.filter(user=request.user).order_by("-confirmed").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("code", _("This code is not valid. Check the time on your phone and try again."))
    qr_svg = ""
    if not device.confirmed:
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = io.BytesIO()
        image.save(buffer)
        qr_svg = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    context = {"form": form, "device": device, "qr": qr_svg, "secret": base64.b32encode(device.bin_key).decode()}
    return render(request, "accounts/two_factor.html", context)


class ManageAccountsMixin(LoginRequiredMixin):
    """Pages for administrators: only users within their 'manage_accounts' reach are shown (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = scope_for(request.user, "manage_accounts")
        if self.scope.empty:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def users(self):
        memberships = Membership.objects.filter(self.scope.q("unit__")) if not self.scope.everything else None
        users = User.objects.exclude(username=SYSTEM_USERNAME)
        if memberships is not None:
            users = users.filter(pk__in=memberships.values("user_id"))
        return users.prefetch_related("memberships__unit").order_by("username")


class UserListView(ManageAccountsMixin, TemplateView):
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "users": self.users()[:500]}


class UserCreateView(ManageAccountsMixin, TemplateView):
    template_name = "accounts/user_form.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "form": kwargs.get("form") or UserCreateForm(actor=self.request.user),
        }

    def post(self, request, *args, **kwargs):
        form = UserCreateForm(request.POST, actor=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        user, password = user_create(
            actor=request.user,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            unit=data["unit"],
            role=data["role"],
            request=request,
        )
        return render(request, "accounts/user_created.html", {"new_user": user, "password": password})


class UserDetailView(ManageAccountsMixin, TemplateView):
    template_name = "accounts/user_detail.html"

    def get_object(self):
        return get_object_or_404(self.users(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        person = self.get_object()
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            "memberships": person.memberships.select_related("unit").order_by("-is_active", "unit__name"),
            "form": kwargs.get("form") or MembershipForm(actor=self.request.user),
        }

    def post(self, request, *args, **kwargs):
        person = self.get_object()
        if "end" in request.POST:
            membership = get_object_or_404(person.memberships, pk=request.POST.get("end", "0") or 0)
            membership_end(actor=request.user, membership=membership, request=request)
            messages.success(request, _("The role was ended."))
            return redirect("accounts:user", pk=person.pk)
        form = MembershipForm(request.POST, actor=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        membership_add(
            actor=request.user,
            user=person,
            unit=form.cleaned_data["unit"],
            role=form.cleaned_data["role"],
            request=request,
        )
        messages.success(request, _("The role was given."))
        return redirect("accounts:user", pk=person.pk)
