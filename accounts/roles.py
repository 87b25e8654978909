"""Roles and what each may do, and where. ``docs/permissions.md`` is this table in prose; the test
``accounts/tests/test_permission_matrix.py`` walks every cell.

A *reach* says which records an action touches, relative to the unit of the membership:

- ``ALL``: every unit of the deployment;
- ``PROVINCE``: the membership's province (or central body) and everything under it, plus the
  records of its predecessor units (Đà Nẵng also reaches legacy Quảng Nam's records, DOMAIN.md);
- ``UNIT``: the membership's own unit and the units under it, plus its predecessors.

Central roles read every province but change only their own body's records: provinces own
their data and central bodies receive it (DOMAIN.md, "Who uses it").
"""

from enum import Enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    NATIONAL_VIEWER = "national_viewer", _("National viewer")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    PROVINCE_EDITOR = "province_editor", _("Province editor (foreign-affairs department)")
    APPROVER = "approver", _("Approver (leader)")
    UNIT_EDITOR = "unit_editor", _("Unit editor (department or commune)")
    PERSONAL_DATA_OFFICER = "personal_data_officer", _("Personal-data officer")
    VIEWER = "viewer", _("Viewer")


class Reach(Enum):
    ALL = "all"
    PROVINCE = "province"
    UNIT = "unit"


# role -> action -> reach. An action absent from a role's row is refused.
CAPABILITIES: dict[str, dict[str, Reach]] = {
    Role.NATIONAL_ADMIN: {
        "view": Reach.ALL,
        "change": Reach.UNIT,
        "manage_accounts": Reach.ALL,
        "manage_reference": Reach.ALL,
        # The receiving body keeps the register of reports received from every province (reports.policy).
        "receive": Reach.ALL,
    },
    Role.NATIONAL_VIEWER: {"view": Reach.ALL},
    Role.PROVINCE_ADMIN: {
        "view": Reach.PROVINCE,
        "change": Reach.PROVINCE,
        "manage_accounts": Reach.PROVINCE,
    },
    Role.PROVINCE_EDITOR: {"view": Reach.PROVINCE, "change": Reach.PROVINCE},
    Role.APPROVER: {"view": Reach.PROVINCE, "approve": Reach.PROVINCE},
    Role.UNIT_EDITOR: {"view": Reach.PROVINCE, "change": Reach.UNIT},
    Role.PERSONAL_DATA_OFFICER: {"view": Reach.PROVINCE, "view_personal": Reach.PROVINCE},
    Role.VIEWER: {"view": Reach.PROVINCE},
}

# Roles whose holders must use two-factor authentication (issue 2, security baseline).
ADMIN_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.PROVINCE_ADMIN})
# Roles that belong to a central body rather than a province.
NATIONAL_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.NATIONAL_VIEWER})
