"""The verbs on partners and relationships as people and other systems use them, each declared once
(core.verbs): the relationship page's status form and the API's ``change-status``, a partner's spellings."""

from django.utils.translation import gettext_lazy as _

from core.verbs import Verb
from partners import services
from partners.forms import PartnerAliasForm, StatusChangeForm

CHANGE_STATUS = Verb("change_status", services.relationship_change_status, _("Record the new status"), StatusChangeForm)
ADD_ALIAS = Verb("aliases", services.partner_add_alias, _("Add a spelling"), PartnerAliasForm)
