"""The permission matrix of docs/permissions.md, cell by cell: for every role, every action on a
record of its own unit, of a unit below it, of a predecessor unit, of another province and of a
central body."""

import pytest

from accounts.roles import CAPABILITIES, Role
from core.scope import scope_for

TARGETS = ("own_province", "own_department", "other_department", "predecessor", "other_province", "central")
ACTIONS = ("view", "change", "approve", "view_personal", "manage_accounts", "manage_reference", "receive")
Y, N = True, False
# role -> action -> one answer per target, in the order of TARGETS.
MATRIX = {
    Role.NATIONAL_ADMIN: {
        "view": (Y, Y, Y, Y, Y, Y), "change": (N, N, N, N, N, Y), "approve": (N,) * 6, "view_personal": (N,) * 6,
        "manage_accounts": (Y,) * 6, "manage_reference": (Y,) * 6, "receive": (Y,) * 6,
    },
    Role.NATIONAL_VIEWER: {
        "view": (Y,) * 6, "change": (N,) * 6, "approve": (N,) * 6, "view_personal": (N,) * 6,
        "manage_accounts": (N,) * 6, "manage_reference": (N,) * 6, "receive": (N,) * 6,
    },
    Role.PROVINCE_ADMIN: {
        "view": (Y, Y, Y, Y, N, N), "change": (Y, Y, Y, Y, N, N), "approve": (N,) * 6, "view_personal": (N,) * 6,
        "manage_accounts": (Y, Y, Y, Y, N, N), "manage_reference": (N,) * 6, "receive": (N,) * 6,
    },
    Role.PROVINCE_EDITOR: {
        "view": (Y, Y, Y, Y, N, N), "change": (Y, Y, Y, Y, N, N), "approve": (N,) * 6, "view_personal": (N,) * 6,
        "manage_accounts": (N,) * 6, "manage_reference": (N,) * 6, "receive": (N,) * 6,
    },
    Role.APPROVER: {
        "view": (Y, Y, Y, Y, N, N), "change": (N,) * 6, "approve": (Y, Y, Y, Y, N, N), "view_personal": (N,) * 6,
        "manage_accounts": (N,) * 6, "manage_reference": (N,) * 6, "receive": (N,) * 6,
    },
    Role.UNIT_EDITOR: {
        "view": (Y, Y, Y, Y, N, N), "change": (N, Y, N, N, N, N), "approve": (N,) * 6, "view_personal": (N,) * 6,
        "manage_accounts": (N,) * 6, "manage_reference": (N,) * 6, "receive": (N,) * 6,
    },
    Role.PERSONAL_DATA_OFFICER: {
        "view": (Y, Y, Y, Y, N, N), "change": (N,) * 6, "approve": (N,) * 6, "view_personal": (Y, Y, Y, Y, N, N),
        "manage_accounts": (N,) * 6, "manage_reference": (N,) * 6, "receive": (N,) * 6,
    },
    Role.VIEWER: {
        "view": (Y, Y, Y, Y, N, N), "change": (N,) * 6, "approve": (N,) * 6, "view_personal": (N,) * 6,
        "manage_accounts": (N,) * 6, "manage_reference": (N,) * 6, "receive": (N,) * 6,
    },
}  # fmt: skip
USERS = {
    Role.NATIONAL_ADMIN: "national_admin", Role.NATIONAL_VIEWER: "national_viewer",
    Role.PROVINCE_ADMIN: "province_admin", Role.PROVINCE_EDITOR: "province_editor", Role.APPROVER: "approver",
    Role.UNIT_EDITOR: "unit_editor", Role.PERSONAL_DATA_OFFICER: "personal_data_officer", Role.VIEWER: "viewer",
}  # fmt: skip


def test_matrix_covers_every_role():
    assert set(MATRIX) == set(Role) == set(CAPABILITIES)


def _target(world, name):
    return {
        "own_province": world.danang,
        "own_department": world.danang_dept,
        "other_department": world.danang_other_dept,
        "predecessor": world.quangnam_district,
        "other_province": world.bacninh_dept,
        "central": world.mofa,
    }[name]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", ACTIONS)
def test_cell(world, role, action):
    user = world.users[USERS[role]]
    expected = MATRIX[role][action]
    got = tuple(scope_for(user, action).covers(_target(world, target)) for target in TARGETS)
    assert got == expected, f"{role} {action}: expected {expected}, got {got}"


@pytest.mark.django_db
def test_user_without_membership_reaches_nothing(world):
    for action in ACTIONS:
        assert scope_for(world.nobody, action).empty
