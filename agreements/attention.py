"""What needs attention in a user's agreements (issue 4, item 3): agreements in force with no implementation
plan, consultations overdue, agreements expiring within 90 and 30 days, copies not yet sent to the Ministry of
Foreign Affairs (by agreements signed since Law 70/2020/QH14 took effect on 1 July 2021). Each list is already
restricted to what the user may see.

Each list is shown a page at a time (``PAGE_SIZE`` rows, the page of each list asked by ``<key>_page``), and the
page reads a fixed number of queries whatever the number of agreements (issue 17, item 13: it used to ask for
the implementation plan of each agreement in force, one query each): two per list (its count and its page),
and for the two lists of agreements expiring one to find them among those in force and one for both pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import workflow
from agreements.indicators import in_force_at
from agreements.models import Agreement, ImplementationItem
from agreements.todo import copies_owed, ending_within, opinions_overdue

PAGE_SIZE = 25


@dataclass
class AttentionList:
    key: str
    title: str
    rows: list
    explanation: str
    # Every row of the list, and the page of it that ``rows`` holds.
    count: int = 0
    page: Page | None = None

    @property
    def page_parameter(self) -> str:
        """The query parameter that asks for another page of this list."""
        return f"{self.key}_page"


def _page(rows, key: str, pages: Mapping, page_size: int) -> Page:
    return Paginator(rows, page_size).get_page(pages.get(f"{key}_page"))


def attention_lists(
    user, *, today: dt.date | None = None, pages: Mapping | None = None, page_size: int = PAGE_SIZE
) -> list[AttentionList]:
    """The lists of what needs attention on ``today`` (the local date by default); of each, the page that
    ``pages`` asks by ``<key>_page`` (the first by default)."""
    today = today or timezone.localdate()
    pages = pages or {}
    agreements = Agreement.objects.restrict(user)
    in_force = in_force_at(agreements, today)
    plans = ImplementationItem.objects.unrestricted("the plan of each agreement of a list already scoped")
    without_plan = _page(
        in_force.filter(~Exists(plans.filter(agreement=OuterRef("pk")))).select_related("owner"),
        "without_plan",
        pages,
        page_size,
    )
    overdue = _page(opinions_overdue(user, "view", today), "consultations_overdue", pages, page_size)
    # The same conditions as the home page's lists (agreements.todo), here in full and split at 30 days.
    soon = today + dt.timedelta(days=30)
    expiring = ending_within(agreements, today, 90)
    expiring_30 = _page([pk for end, pk in expiring if end <= soon], "expiring_30", pages, page_size)
    expiring_90 = _page([pk for end, pk in expiring if end > soon], "expiring_90", pages, page_size)
    shown = [*expiring_30.object_list, *expiring_90.object_list]
    loaded = {row.pk: row for row in agreements.filter(pk__in=shown).select_related("owner")} if shown else {}
    copies = _page(copies_owed(user, "view", today), "copies_not_sent", pages, page_size)
    return [
        AttentionList(
            "without_plan",
            _("In force with no implementation plan"),
            list(without_plan),
            _("Agreements are signed and then not implemented: each needs a plan of activities."),
            without_plan.paginator.count,
            without_plan,
        ),
        AttentionList(
            "consultations_overdue",
            _("Consultations overdue"),
            list(overdue),
            _("The written reply is past its due date."),
            overdue.paginator.count,
            overdue,
        ),
        AttentionList(
            "expiring_30",
            _("Expiring within 30 days"),
            [loaded[pk] for pk in expiring_30 if pk in loaded],
            _("Renew, or let the relationship know."),
            expiring_30.paginator.count,
            expiring_30,
        ),
        AttentionList(
            "expiring_90",
            _("Expiring within 90 days"),
            [loaded[pk] for pk in expiring_90 if pk in loaded],
            _("Plan the renewal."),
            expiring_90.paginator.count,
            expiring_90,
        ),
        AttentionList(
            "copies_not_sent",
            _("Copies not yet sent to the Ministry of Foreign Affairs"),
            [(row, workflow.copy_due(row.signed_on)) for row in copies],
            _("A copy of each signed agreement is owed to the Ministry of Foreign Affairs (Law 70/2020/QH14)."),
            copies.paginator.count,
            copies,
        ),
    ]
