"""Forms of the delegations registry: the delegation with its members on one page (issue 19, item 1)."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from activities.models import Delegation, DelegationMember
from agreements.forms import PartnerMultipleWidget
from core.forms import ChildForm, RecordForm, UserFormSet
from core.text import fold
from partners.models import Partner

# A negative number is refused naming its field (the field's own validator says it the same way on the API).
NOT_NEGATIVE = {
    "member_count": {"min_value": _("Number of members: cannot be negative.")},
    "state_budget_vnd": {"min_value": _("State budget (VND): cannot be negative.")},
    "report_days": {"min_value": _("Trip report due: the number of days cannot be negative.")},
}


class DelegationForm(RecordForm):
    class Meta:
        model = Delegation
        fields = [
            "owner",
            "direction",
            "purpose",
            "leader_name",
            "leader_position",
            "needs_central_personnel_approval",
            "organisation",
            "countries",
            "partners",
            "origin_country",
            "level",
            "departs_on",
            "date_precision",
            "returns_on",
            "funding",
            "state_budget_vnd",
            "in_annual_plan",
            "status",
            "approval_number",
            "approval_on",
            "approval_authority",
            "report_days",
            "report_received_on",
            "outcomes",
            "member_count",
            "notes",
        ]
        labels = {"owner": _("Vietnamese unit sending or hosting")}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "outcomes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = NOT_NEGATIVE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.all()
        self.fields["partners"].widget = PartnerMultipleWidget(attrs={"class": "form-select"})


class DelegationMemberForm(ChildForm):
    class Meta:
        model = DelegationMember
        fields = ["name", "position", "organisation"]


class DelegationMemberRecordForm(RecordForm):
    """A member on its own, as the importer reads it (``delegation`` by its id)."""

    class Meta:
        model = DelegationMember
        fields = ["delegation", "name", "position", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            # Members are changed with their delegation: only delegations the user may change.
            self.fields["delegation"].queryset = Delegation.objects.restrict(self.user, "change")


class BaseMemberFormSet(UserFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            folded = fold(form.cleaned_data.get("name") or "")
            if folded in seen:
                form.add_error("name", _("Full name: this person is already a member of the delegation."))
            seen.add(folded)

    def validate_unique(self):
        # The rule above says it in the field's words; Django's generic message would repeat it.
        return


MemberFormSet = inlineformset_factory(
    Delegation, DelegationMember, form=DelegationMemberForm, formset=BaseMemberFormSet, extra=3, can_delete=True
)
