"""Pages of the agreements app beyond the generic record views: a step of the procedure, a consultation's
reply, and what needs attention."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from agreements.attention import attention_lists
from agreements.models import Agreement, Consultation
from agreements.verbs import AGREEMENT_VERBS, REPLY
from core.views import RecordVerbView


class AgreementActView(RecordVerbView):
    """Apply one step of the procedure from the agreement's page."""

    model = Agreement
    verbs = AGREEMENT_VERBS
    action = "view"  # the step itself checks the role it needs (agreements.workflow)
    conflict_message = gettext_lazy("Someone else changed this agreement meanwhile; check it and try again.")


class ReplyView(RecordVerbView):
    """Record a consulted body's written opinion."""

    model = Consultation
    verbs = {REPLY.name: REPLY}

    def back_to(self, record):
        return record.agreement.get_absolute_url()


class AttentionView(LoginRequiredMixin, TemplateView):
    """Agreements and consultations that need attention, within the user's scope, each list a page at a time."""

    template_name = "agreements/attention.html"

    def get_context_data(self, **kwargs):
        lists = attention_lists(self.request.user, pages=self.request.GET)
        pagers = {item.key: self.pager(item) for item in lists}
        return {**super().get_context_data(**kwargs), "lists": [(item, pagers[item.key]) for item in lists]}

    def pager(self, item) -> dict | None:
        """The links to the list's previous and next pages (the other lists stay on their pages)."""
        page = item.page
        if page is None or not page.has_other_pages():
            return None

        def url(number: int) -> str:
            query = self.request.GET.copy()
            query[item.page_parameter] = str(number)
            return f"?{query.urlencode()}#{item.key}"

        return {
            "previous": url(page.previous_page_number()) if page.has_previous() else "",
            "next": url(page.next_page_number()) if page.has_next() else "",
        }
