"""Who sees and changes the register (issue 20, item 4) and the reports themselves."""

from django.db.models import Q

from core.policy import OwnedPolicy
from core.scope import ScopeSet, scope_for
from reports.freezing import FROZEN as SENT

# What a unit writes in its report, and what its leader says when sending it back to be corrected.
DRAFT_FIELDS = frozenset({"sections", "figure_choices", "sent_back_reason"})


class SubmissionPolicy(OwnedPolicy):
    """A register row belongs to the unit that reports: its users see their own rows (a successor also its
    predecessors'), central viewers every row. The receiving body keeps the register: those who may ``receive``
    (accounts.roles) record and import the rows of every unit, beside the unit's own editors."""

    def reach(self, user, action: str) -> ScopeSet:
        reach = scope_for(user, action)
        if action != "change":
            return reach
        receive = scope_for(user, "receive")
        if reach.everything or receive.everything:
            return ScopeSet(everything=True)
        return ScopeSet(roots=reach.roots | receive.roots, units=reach.units | receive.units)


class ReportPolicy(OwnedPolicy):
    """A unit's report is read where it is written until it is sent: by the roles that reach its unit as their own
    (the province drafting, reviewing and approving it; its departments and communes as their roles allow). The
    roles that read every province (the central bodies') read it once it has been sent, and then what was sent,
    its revisions, not the next draft after it is reopened: a report is the document its signer sent (Decree
    09/2019/NĐ-CP on the reporting regime), not the text being prepared."""

    def rows(self, user, action: str = "view", queryset=None):
        found = super().rows(user, action, queryset)
        if action != "view" or not self.reaches_beyond_own(user):
            return found
        return found.filter(Q(status__in=SENT) | Q(revision__gt=1) | scope_for(user, "view", own=True).q(self.prefix))

    def may(self, user, action: str, record) -> bool:
        if not super().may(user, action, record):
            return False
        return action != "view" or self.reads_draft(user, record) or record.status in SENT or record.revision > 1

    def masked_fields(self, user, record) -> set[str]:
        """Beside personal data: for who reads ``record`` only as sent, what its unit writes and its leader says of it
        before it is sent (the history of a reopened report would show the next draft's text)."""
        masked = super().masked_fields(user, record)
        return masked if self.reads_draft(user, record) else masked | DRAFT_FIELDS

    def reaches_beyond_own(self, user) -> bool:
        """Whether ``user`` reads reports of units beyond its own through a role over every unit."""
        return self.reach(user, "view").everything and not scope_for(user, "view", own=True).everything

    def reads_draft(self, user, record) -> bool:
        """Whether ``user`` reads ``record`` as it is being written, not only what it sent."""
        return scope_for(user, "view", own=True).covers(self.unit_of(record))
