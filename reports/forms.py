import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.collation import collated
from core.forms import RecordForm
from core.models import Unit
from reports.drafting import outline, text_errors
from reports.models import Report, ReportingRegime, Submission
from reports.regimes import reporting_period


def owners_for(user, instance: Submission | None = None):
    """The units whose rows ``user`` may record: those that report for themselves (provinces, legacy or current, and
    central bodies) within the register's policy, so that the receiving body, which may ``receive`` every
    province's report (SubmissionPolicy), chooses any province; a row's present owner stays a choice."""
    rows = Unit.objects.filter(Submission.policy.reach(user, "change").q(""), parent__isnull=True)
    if instance is not None and instance.owner_id:
        rows = rows | Unit.objects.filter(pk=instance.owner_id)
    return collated(rows.order_by("is_legacy", "level", "name"))


class SubmissionForm(RecordForm):
    """A row of the register: the unit that reported, the regime and period, when it was sent and received."""

    class Meta:
        model = Submission
        fields = ["owner", "reporting_period", "sent_on", "received_on", "returned_on", "return_reason", "note"]
        labels = {"owner": _("Unit that reported")}
        widgets = {
            "return_reason": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            # The units' type-ahead offers the units the user owns records in, not those whose reports the user
            # receives: the few units that report are a plain list.
            owner = self.fields["owner"]
            owner.queryset = owners_for(user, self.instance)
            owner.widget = forms.Select(attrs=owner.widget.attrs)
            owner.widget.choices = owner.choices


SECTION_PREFIX = "section_"


class ReportForm(RecordForm):
    """A provincial report: the unit, the regime and period, the header and signature; once created, one text box
    a section of the regime's outline, its figures written as ``{{code}}`` (reports.drafting)."""

    # A new report names its regime and period as the calendar does (2017-H1, 2025): the period is made from the
    # regime's rules if it is not saved yet (reports.regimes.reporting_period).
    regime = forms.ModelChoiceField(queryset=ReportingRegime.objects.order_by("key"), label=_("Reporting regime"))
    period = forms.CharField(
        label=_("Period"),
        max_length=16,
        help_text=_("2017 for a year; 2017-H1 for a first half, where the regime reports by half-year."),
    )

    class Meta:
        model = Report
        fields = [
            "owner",
            "number",
            "place",
            "issued_on",
            "responds_to",
            "recipients",
            "signature_authority",
            "signer_title",
            "signer_name",
        ]
        labels = {"owner": _("Reporting unit")}
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 4}),
            "signature_authority": forms.Textarea(attrs={"rows": 2}),
            "responds_to": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.outline = None
        # The regime's name, not its key, in the choice.
        self.fields["regime"].label_from_instance = lambda regime: regime.name_vi
        self.order_fields(["owner", "regime", "period"])
        if not self.instance.pk:
            # The period's example fits the regime chosen: 2017, which every regime accepts, and 2017-H1 once a
            # half-yearly regime is chosen (the page's script, static/js/app.js, follows the regime's select; the
            # view may preselect the regime after this, from the link).
            examples = {str(regime.pk): regime.periods_of(2017)[0] for regime in self.fields["regime"].queryset}
            self.fields["period"].widget.attrs.update(
                {
                    "class": "form-control js-period-example",
                    "placeholder": "2017",
                    "data-regime": self.auto_id % self.add_prefix("regime") if self.auto_id else "",
                    "data-examples": json.dumps(examples),
                }
            )
        if self.instance.pk:
            # The regime and period decide the outline: they are fixed once the report exists.
            del self.fields["regime"], self.fields["period"]
            self.fields["owner"].disabled = True
            self.outline = outline(self.instance.reporting_period.regime)
            for section in self.outline.sections:
                name = SECTION_PREFIX + section.key
                self.fields[name] = forms.CharField(
                    label=section.title,
                    required=False,
                    initial=self.instance.sections.get(section.key, ""),
                    widget=forms.Textarea(attrs={"rows": 6 if section.text else 3, "class": "form-control"}),
                    help_text=_("One paragraph a line. Figures as {{code}}, {{code.change}}, {{code.previous}}."),
                )

    def clean(self):
        cleaned = super().clean()
        if self.outline is None:
            regime, period = cleaned.get("regime"), cleaned.get("period")
            if regime is not None and period:
                try:
                    self.instance.reporting_period = reporting_period(regime, period)
                except ValidationError as exc:
                    self.add_error("period", exc)
            return cleaned
        sections = dict(self.instance.sections or {})
        wrong = False
        for section in self.outline.sections:
            name = SECTION_PREFIX + section.key
            text = (cleaned.get(name) or "").replace("\r\n", "\n").strip()
            for error in text_errors(text):
                self.add_error(name, error)
                wrong = True
            sections[section.key] = text
        if not wrong:
            # Wrong text stays on the form, beside its field; the record keeps the text it had.
            self.instance.sections = sections
        return cleaned
