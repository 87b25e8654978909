"""Forms of the delegations registry: the delegation with its members on one page (issue 19, item 1)."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Award,
    Conference,
    Delegation,
    DelegationMember,
    DelegationRules,
    Event,
    PressVisit,
    capfirst_lazy,
)
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


class PartnersForm(RecordForm):
    """A record that names the partners it met, took part or was awarded: chosen by typing, among the whole shared
    catalogue (the partner picker of the agreements' forms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.all()
        self.fields["partners"].widget = PartnerMultipleWidget(attrs={"class": "form-select"})


class DelegationForm(PartnersForm):
    class Meta:
        model = Delegation
        fields = [
            "owner",
            "direction",
            "purpose",
            "leader_name",
            "leader_position",
            "needs_central_personnel_approval",
            "personnel_approval",
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
            "plan_exception_approval",
            "status",
            "approval_number",
            "approval_on",
            "approval_authority",
            "report_days",
            "report_received_on",
            "outcomes",
            "programme",
            "protocol_notes",
            "member_count",
            "notes",
        ]
        labels = {"owner": _("Vietnamese unit sending or hosting")}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "outcomes": forms.Textarea(attrs={"rows": 2}),
            "programme": forms.Textarea(attrs={"rows": 2}),
            "protocol_notes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = NOT_NEGATIVE


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


def _not_negative(label):
    """The form's own refusal of a negative count, in the words of the model's validator ("Foreign participants:
    cannot be negative.")."""
    return {"min_value": format_lazy("{}: {}", capfirst_lazy(label), _("cannot be negative."))}


class ConferenceForm(PartnersForm):
    """An international conference or workshop (Decision 06/2020/QĐ-TTg): the two flags say who permits it."""

    class Meta:
        model = Conference
        fields = [
            "owner",
            "title",
            "organiser",
            "co_organisers_domestic",
            "co_organisers_foreign",
            "partners",
            "starts_on",
            "date_precision",
            "ends_on",
            "place",
            "online",
            "foreign_participants",
            "countries",
            "high_level_participants",
            "sensitive_topics",
            "applied_on",
            "permission_authority",
            "permission_number",
            "permission_on",
            "status",
            "outcome",
            "notes",
        ]
        labels = {"owner": _("Vietnamese unit holding the conference")}
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "co_organisers_domestic": forms.Textarea(attrs={"rows": 2}),
            "co_organisers_foreign": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"foreign_participants": _not_negative(_("foreign participants"))}


class PressVisitForm(RecordForm):
    """Foreign reporters working in the unit's territory (Decree 88/2012/NĐ-CP)."""

    class Meta:
        model = PressVisit
        fields = [
            "owner",
            "agency",
            "country",
            "reporter_count",
            "reporter_names",
            "starts_on",
            "date_precision",
            "ends_on",
            "topics",
            "places",
            "permit_number",
            "permit_on",
            "accompanying_officer",
            "notes",
        ]
        labels = {"owner": _("Vietnamese unit receiving the reporters")}
        widgets = {
            "reporter_names": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        # A count below one is refused as the model's validator says it, negative or nought alike.
        error_messages = {"reporter_count": {"min_value": _("Number of reporters: at least one.")}}


class DelegationRulesForm(RecordForm):
    class Meta:
        model = DelegationRules
        fields = [
            "owner",
            "source",
            "leader_trips_per_year",
            "members_per_delegation",
            "days_per_trip",
            "countries_per_trip",
            "trips_per_year",
            "state_budget_per_year_vnd",
            "key_leaders",
            "outside_plan_needs_approval",
            "personnel_approval_needed",
        ]
        labels = {"owner": _("Unit whose delegations the rules govern")}
        widgets = {"key_leaders": forms.Textarea(attrs={"rows": 3})}


class EventForm(PartnersForm):
    """An event with foreign participation: a festival, a cultural day, an anniversary of diplomatic relations..."""

    class Meta:
        model = Event
        fields = [
            "owner",
            "name",
            "kind",
            "edition",
            "starts_on",
            "date_precision",
            "ends_on",
            "organiser",
            "place",
            "countries",
            "country_count",
            "organisation_count",
            "partners",
            "description",
        ]
        labels = {"owner": _("Vietnamese unit holding or joining the event")}
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "organiser": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "edition": _not_negative(_("edition")),
            "country_count": _not_negative(_("number of countries taking part")),
            "organisation_count": _not_negative(_("number of international organisations taking part")),
        }


class AwardForm(PartnersForm):
    """An award received from a foreign state or organisation, or one the unit proposes."""

    class Meta:
        model = Award
        fields = [
            "owner",
            "direction",
            "name",
            "award_class",
            "count",
            "awarding_country",
            "awarding_organisation",
            "recipients",
            "partners",
            "status",
            "decision_number",
            "decided_on",
            "date_precision",
            "notes",
        ]
        # The model's "direction" and "recipients" are the delegations' and the documents' words in Vietnamese
        # ("loại đoàn", "nơi nhận"): an award says its own.
        labels = {
            "owner": _("Vietnamese unit receiving or proposing the award"),
            "direction": _("Received or proposed"),
            "recipients": _("Recipients of the award"),
        }
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        # A number below one is refused as the model's validator says it, negative or nought alike.
        error_messages = {"count": {"min_value": _("Number: at least one, or leave it empty when not known.")}}
