"""Who sees and changes the register (issue 20, item 4)."""

from core.policy import OwnedPolicy
from core.scope import ScopeSet, scope_for


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
