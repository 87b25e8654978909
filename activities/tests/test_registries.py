"""Every activities model through the shared mixins of core.testing."""

import datetime as dt

from activities.models import DelegationMember
from activities.registries import DELEGATION_MEMBERS, DELEGATIONS
from activities.testing.factories import DelegationFactory
from core.testing.mixins import ChildRecordTests, RecordTests


class TestDelegation(RecordTests):
    record_type = DELEGATIONS
    factory = DelegationFactory
    values = {
        "direction": "outgoing",
        "purpose": "Thăm và làm việc với thành phố Yongin",
        "leader_name": "Lê Văn Thanh",
        "leader_position": "Chủ tịch UBND thành phố",
        "date_precision": "day",
        "departs_on": dt.date(2024, 4, 10),
        "returns_on": dt.date(2024, 4, 15),
        "funding": "state_budget",
        "status": "planned",
        "report_days": 15,
        "member_count": 6,
        "notes": "Trong kế hoạch đối ngoại năm",
    }


class TestDelegationMember(ChildRecordTests):
    record_type = DELEGATION_MEMBERS
    parent = ("delegation", DelegationFactory)
    values = {"name": "Nguyễn Thị Bình", "position": "Chuyên viên", "organisation": "Sở Ngoại vụ"}

    def make(self, world, owner):
        return DelegationMember.objects.create(
            delegation=DelegationFactory(owner=owner), name=f"Thành viên {DelegationMember.objects.count()}"
        )
