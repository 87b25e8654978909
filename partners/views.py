"""Pages of the partners app beyond the generic record views: the type-ahead of partner choices, merging
two partners, a relationship's next status step, and a unit's portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.views import RecordVerbView
from partners.forms import MergeForm
from partners.models import Partner, Relationship
from partners.resolve import resolve
from partners.services import partner_merge
from partners.verbs import CHANGE_STATUS

OPTIONS_LIMIT = 15


class PartnerOptionsView(LoginRequiredMixin, View):
    """``<option>`` elements for a partner choice, from the name resolver (any spelling finds the partner)."""

    def get(self, request):
        query = (request.GET.get("partner_query") or request.GET.get("q") or "")[:200]
        candidates = resolve(query, limit=OPTIONS_LIMIT) if query.strip() else []
        visible = set(
            Partner.objects.restrict(request.user)
            .filter(pk__in=[c.partner.pk for c in candidates])
            .values_list("pk", flat=True)
        )
        rows = [
            (c.partner.pk, f"{c.partner} · {c.partner.country or ''} ({round(c.score)})")
            for c in candidates
            if c.partner.pk in visible
        ]
        empty = '<option value="">---------</option>'
        return HttpResponse(empty + format_html_join("", '<option value="{}">{}</option>', rows))


class PartnerMergeView(LoginRequiredMixin, View):
    """Merge another partner into this one (this one is kept)."""

    template_name = "partners/partner_merge.html"

    def get_partner(self):
        return get_object_or_404(Partner.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])

    def get(self, request, pk):
        return render(request, self.template_name, {"partner": self.get_partner(), "form": MergeForm()})

    def post(self, request, pk):
        keep = self.get_partner()
        form = MergeForm(request.POST)
        if form.is_valid():
            try:
                partner_merge(keep=keep, remove=form.cleaned_data["remove"], user=request.user, request=request)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("remove", getattr(exc, "messages", None) or [str(exc)])
            else:
                messages.success(request, _("Merged into “%(partner)s”.") % {"partner": keep})
                return redirect(keep.get_absolute_url())
        return render(request, self.template_name, {"partner": keep, "form": form}, status=400)


class RelationshipStatusView(RecordVerbView):
    """Record the next dated step of a relationship's status."""

    model = Relationship
    verbs = {CHANGE_STATUS.name: CHANGE_STATUS}
    conflict_message = gettext_lazy("Someone else changed this relationship meanwhile; check it and try again.")
