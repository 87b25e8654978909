from django import forms
from django.utils.translation import gettext_lazy as _


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
