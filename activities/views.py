"""Pages of the delegations registry beyond the generic record views: a status step."""

from django.utils.translation import gettext_lazy

from activities.models import Delegation
from activities.verbs import DELEGATION_VERBS
from core.views import RecordVerbView


class DelegationActView(RecordVerbView):
    """Apply one status step from the delegation's page."""

    model = Delegation
    verbs = DELEGATION_VERBS
    action = "view"  # the step itself checks the capability it needs (activities.workflow)
    conflict_message = gettext_lazy("Someone else changed this delegation meanwhile; check it and try again.")
