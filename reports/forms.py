from django import forms
from django.utils.translation import gettext_lazy as _

from core.collation import collated
from core.forms import RecordForm
from core.models import Unit
from reports.models import Submission


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
