"""Pages of the agreements app beyond the generic record views: a step of the procedure, a consultation's
reply, and what needs attention."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from agreements import workflow
from agreements.attention import attention_lists
from agreements.forms import ReplyForm, VerbForm
from agreements.models import Agreement, Consultation
from agreements.services import agreement_act, consultation_record_reply
from core.views import RecordVerbView


class AgreementActView(RecordVerbView):
    """Apply one step of the procedure from the agreement's page."""

    model = Agreement
    form_class = VerbForm
    action = "view"  # the step itself checks the role it needs (agreements.workflow)
    conflict_message = gettext_lazy("Someone else changed this agreement meanwhile; check it and try again.")

    def run(self, record, data):
        verb = self.request.POST.get("verb", "")
        agreement_act(agreement=record, user=self.request.user, verb=verb, values=data, request=self.request)

    def success_message(self, record, data):
        verb = self.request.POST.get("verb", "")
        return _("Done: %(step)s.") % {"step": workflow.VERB_LABELS.get(verb, verb)}


class ReplyView(RecordVerbView):
    """Record a consulted body's written opinion."""

    model = Consultation
    form_class = ReplyForm

    def run(self, record, data):
        consultation_record_reply(consultation=record, user=self.request.user, request=self.request, **data)

    def success_message(self, record, data):
        return _("The opinion was recorded.")

    def back_to(self, record):
        return record.agreement.get_absolute_url()


class AttentionView(LoginRequiredMixin, TemplateView):
    """Agreements and consultations that need attention, within the user's scope."""

    template_name = "agreements/attention.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "lists": attention_lists(self.request.user)}
