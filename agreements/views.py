"""Pages of the agreements app beyond the generic record views: a step of the procedure, a consultation's
reply, and what needs attention."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agreements import workflow
from agreements.attention import attention_lists
from agreements.forms import ReplyForm, VerbForm
from agreements.models import Agreement, Consultation
from agreements.services import agreement_act, consultation_record_reply
from core.services import VersionConflict


def _report_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class AgreementActView(LoginRequiredMixin, View):
    """Apply one step of the procedure from the agreement's page."""

    def post(self, request, pk):
        agreement = get_object_or_404(Agreement.objects.restrict(request.user), pk=pk)
        verb = request.POST.get("verb", "")
        form = VerbForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(agreement.get_absolute_url())
        try:
            agreement_act(agreement=agreement, user=request.user, verb=verb, values=form.cleaned_data, request=request)
        except ValidationError as exc:
            _report_errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("This step needs a role you do not hold for this unit."))
        except VersionConflict:
            messages.error(request, _("Someone else changed this agreement meanwhile; check it and try again."))
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": workflow.VERB_LABELS.get(verb, verb)})
        return redirect(agreement.get_absolute_url())


class ReplyView(LoginRequiredMixin, View):
    """Record a consulted body's written opinion."""

    def post(self, request, pk):
        consultation = get_object_or_404(Consultation.objects.restrict(request.user, "change"), pk=pk)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        else:
            try:
                consultation_record_reply(
                    consultation=consultation, user=request.user, request=request, **form.cleaned_data
                )
                messages.success(request, _("The opinion was recorded."))
            except ValidationError as exc:
                _report_errors(request, exc)
        return redirect(consultation.agreement.get_absolute_url())


class AttentionView(LoginRequiredMixin, TemplateView):
    """Agreements and consultations that need attention, within the user's scope."""

    template_name = "agreements/attention.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "lists": attention_lists(self.request.user)}
