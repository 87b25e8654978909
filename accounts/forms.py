from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import NATIONAL_ROLES, Role
from core.forms import style_fields
from core.models import Unit
from core.scope import scope_for


class LoginForm(AuthenticationForm):
    """Django's sign-in form, styled as every other form of the product."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class TokenForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        return code


class MembershipForm(forms.Form):
    """A unit and a role, limited to what the acting administrator may give."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(actor, "manage_accounts")
        self.fields["unit"].queryset = Unit.objects.filter(scope.q("")).order_by("is_legacy", "level", "name")
        if not scope.everything:
            self.fields["role"].choices = [(v, label) for v, label in Role.choices if v not in NATIONAL_ROLES]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")


class UserCreateForm(MembershipForm):
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[a-z0-9_.]{3,40}$",
        error_messages={"invalid": _("3 to 40 lower-case letters without diacritics, digits, dots or underscores.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    field_order = ["username", "full_name", "email", "unit", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("username", "full_name", "email"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username
