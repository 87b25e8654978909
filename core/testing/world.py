"""A small world for tests: units through the 2025 merger, and one user per role."""

import datetime as dt
from dataclasses import dataclass, field

from accounts.models import Membership, User
from accounts.roles import Role
from core.models import Unit, UnitSuccession

PASSWORD = "Test-password-123"  # noqa: S105 - tests only


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name):
        for store in ("units", "users"):
            values = self.__dict__.get(store, {})
            if name in values:
                return values[name]
        raise AttributeError(name)


def make_unit(key: str, name: str, kind: str, parent: Unit | None = None, **extra) -> Unit:
    unit = Unit(key=key, name=name, full_name=name, kind=kind, parent=parent, **extra)
    unit.save()
    return unit


def make_user(username: str, role: str | None = None, unit: Unit | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    if role:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def build_world() -> World:
    world = World()
    u = world.units
    u["mofa"] = make_unit("mofa", "Bộ Ngoại giao", "central_body")
    u["danang"] = make_unit("da-nang", "Đà Nẵng", "municipality", valid_from=dt.date(2025, 7, 1))
    u["quangnam"] = make_unit(
        "quang-nam-legacy",
        "Quảng Nam",
        "province",
        is_legacy=True,
        valid_from=dt.date(1997, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    u["quangnam_district"] = make_unit("ld-502", "Tây Giang", "district", parent=u["quangnam"], is_legacy=True)
    UnitSuccession.objects.create(predecessor=u["quangnam"], successor=u["danang"], effective_on=dt.date(2025, 7, 1))
    u["danang_dept"] = make_unit("da-nang.so-van-hoa", "Sở Văn hóa Đà Nẵng", "department", parent=u["danang"])
    u["danang_other_dept"] = make_unit("da-nang.so-tu-phap", "Sở Tư pháp Đà Nẵng", "department", parent=u["danang"])
    u["bacninh"] = make_unit("bac-ninh", "Bắc Ninh", "province", valid_from=dt.date(2025, 7, 1))
    u["bacninh_dept"] = make_unit("bac-ninh.so-ngoai-vu", "Sở Ngoại vụ Bắc Ninh", "department", parent=u["bacninh"])
    users = world.users
    users["national_admin"] = make_user("national_admin", Role.NATIONAL_ADMIN, u["mofa"])
    users["national_viewer"] = make_user("national_viewer", Role.NATIONAL_VIEWER, u["mofa"])
    users["province_admin"] = make_user("province_admin", Role.PROVINCE_ADMIN, u["danang"])
    users["province_editor"] = make_user("province_editor", Role.PROVINCE_EDITOR, u["danang"])
    users["approver"] = make_user("approver", Role.APPROVER, u["danang"])
    users["unit_editor"] = make_user("unit_editor", Role.UNIT_EDITOR, u["danang_dept"])
    users["personal_data_officer"] = make_user("personal_data_officer", Role.PERSONAL_DATA_OFFICER, u["danang"])
    users["viewer"] = make_user("viewer", Role.VIEWER, u["danang"])
    users["other_editor"] = make_user("other_editor", Role.PROVINCE_EDITOR, u["bacninh"])
    users["nobody"] = make_user("nobody")
    return world


def login(client, user):
    """Sign ``user`` in; admins also pass two-factor (a confirmed TOTP device in the session)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.needs_two_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def load_demo_data(lines: list[str] | None = None) -> list[str]:
    """Load the demo data set (core.demo.load_demo) with a fixed test password; its log lines go to ``lines``."""
    from core.demo import load_demo

    lines = [] if lines is None else lines
    load_demo(facts_dir=None, password_factory=lambda: "Xx-123456789", log=lines.append)
    return lines
