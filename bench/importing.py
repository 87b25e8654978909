"""The delegations import beside its floor (``BENCH_SECTIONS=import``; issue 19, item 8): a file of 10,000
delegations with 50,000 members, one sheet, one row a member, as provinces keep them, imported by
activities.importing.DelegationImporter (read, every row checked, written in bulk with history, search text,
many-to-many rows, the visits of delegations done with partners met, and one audit entry); against the floor:
openpyxl reading the same file plus one ``bulk_create`` of the same delegations and one of the same members.

The file is built here, deterministically (``random.Random(1)``), in memory; it is never written to the tree. Each
run is rolled back, so that every run writes into the same database; the first run of each (not timed) counts the
queries. ``BENCH_IMPORT_REPEAT`` (default 3) timed runs of each, taken in turn.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

DELEGATIONS = 10_000
# Members per delegation, in turn: 5 on average, so 50,000 in all.
MEMBERS = (2, 4, 6, 8, 5)
REPEAT = int(os.environ.get("BENCH_IMPORT_REPEAT", "3"))
HEADERS = [
    "Số TT đoàn",
    "Đơn vị quản lý",
    "Loại đoàn",
    "Mục đích",
    "Trưởng đoàn",
    "Chức vụ của trưởng đoàn",
    "Nước đến",
    "Đối tác làm việc",
    "Nước đến từ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Nguồn kinh phí",
    "Trong kế hoạch đối ngoại năm được Thủ tướng Chính phủ phê duyệt",
    "Trạng thái",
    "Họ và tên",
    "Chức vụ",
    "Cơ quan",
]
DIRECTIONS = {"Đoàn ra": "outgoing", "Đoàn vào": "incoming"}
FUNDING = {
    "Ngân sách nhà nước": "state_budget",
    "Phía đối tác chi trả": "partner",
    "Doanh nghiệp chi trả": "enterprise",
}
STATUSES = {
    "Đã lên kế hoạch": "planned",
    "Đã phê duyệt": "approved",
    "Đã hoàn thành": "done",
    "Tạm hoãn": "postponed",
    "Đã hủy": "cancelled",
}
TOPICS = [
    "Xúc tiến đầu tư",
    "Hợp tác giáo dục",
    "Xúc tiến du lịch",
    "Hợp tác y tế",
    "Giao lưu văn hóa",
    "Học tập kinh nghiệm",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["Văn An", "Thị Hoa", "Văn Bình", "Thị Mai", "Minh Tuấn", "Thu Hà", "Quốc Huy", "Ngọc Lan", "Đức Anh"]
POSITIONS = ["Chuyên viên", "Trưởng phòng", "Phó Giám đốc Sở", "Giám đốc Sở", "Phó Chủ tịch UBND"]


def build_file(units: list[str], countries: list[str], partners: list[str]) -> bytes:
    """The workbook: ``units`` the user may change, ``countries`` and ``partners`` (keys) as written."""
    rng = random.Random(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append(HEADERS)
    for number in range(1, DELEGATIONS + 1):
        direction = "Đoàn ra" if rng.random() < 0.7 else "Đoàn vào"
        status = rng.choices(list(STATUSES), weights=(30, 20, 45, 3, 2))[0]
        # Up to November 2024: Đà Nẵng has sent its report for 2025, whose records (from 15 December 2024, Decree
        # 09/2019/NĐ-CP, Art. 12) are frozen until it is reopened, and an import into them is refused.
        starts = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3600))
        leader = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        delegation = [
            number,
            rng.choice(units),
            direction,
            f"{rng.choice(TOPICS)} (đoàn số {number})",
            leader,
            rng.choice(POSITIONS),
            "; ".join(rng.sample(countries, rng.choice((1, 1, 2)))) if direction == "Đoàn ra" else "",
            rng.choice(partners) if rng.random() < 0.15 else "",
            rng.choice(countries) if direction == "Đoàn vào" else "",
            f"{starts:%d/%m/%Y}",
            f"{starts + dt.timedelta(days=rng.randrange(2, 10)):%d/%m/%Y}",
            rng.choice(list(FUNDING)),
            "có" if rng.random() < 0.8 else "không",
            status,
        ]
        for index in range(MEMBERS[number % len(MEMBERS)]):
            name = leader if index == 0 else f"{rng.choice(FAMILY)} {rng.choice(GIVEN)} {number}-{index}"
            member = [name, rng.choice(POSITIONS), "Sở Ngoại vụ"]
            # Its cells on the delegation's first row; repeated on every row of one delegation in seven.
            if index == 0 or number % 7 == 0:
                sheet.append([*delegation, *member])
            else:
                sheet.append([number if number % 3 == 0 else "", *[""] * (len(delegation) - 1), *member])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _date(text: str) -> dt.date:
    day, month, year = map(int, text.split("/"))
    return dt.date(year, month, day)


class _RolledBack(Exception):
    pass


def _rolled_back(function):
    """``function`` run in a transaction that is rolled back, so that each run writes into the same data."""

    def call():
        try:
            with transaction.atomic():
                function()
                raise _RolledBack
        except _RolledBack:
            pass

    return call


def _one_bad_row(content: bytes, user) -> str:
    """The same file with one impossible date in the first row of a delegation half-way down: the import names that
    row and writes nothing (issue 19: "a file with one bad row among them writes nothing and reports that row")."""
    from django.core.exceptions import ValidationError

    from activities.importing import DelegationImporter
    from activities.models import Delegation, DelegationMember
    from activities.registries import DELEGATIONS as RECORD_TYPE
    from core.tabular import read_table

    headers, rows = read_table(content, "xlsx")
    number, end = headers.index("Số TT đoàn"), headers.index("Ngày kết thúc")
    index = next(index for index in range(len(rows) // 2, len(rows)) if rows[index][number])
    rows[index][end] = "32/13/2024"
    before = (
        Delegation.all_objects.unrestricted("bench").count(),
        DelegationMember.objects.unrestricted("bench").count(),
    )
    start = time.perf_counter()
    importer = DelegationImporter(RECORD_TYPE, user)
    plan = importer.plan(headers, rows)
    seconds = time.perf_counter() - start
    assert [(error.row, error.column) for error in plan.errors] == [(index + 2, "Ngày kết thúc")], plan.errors[:3]  # noqa: S101
    try:
        importer.commit(plan)
    except ValidationError:
        pass
    else:
        raise AssertionError("a file with a bad row was written")
    after = (
        Delegation.all_objects.unrestricted("bench").count(),
        DelegationMember.objects.unrestricted("bench").count(),
    )
    assert after == before, (before, after)  # noqa: S101
    where = f"row {index + 2} of {len(rows) + 1}"
    return f"the file with one bad row ({where}): refused in {seconds:.1f} s, that row named, nothing written"


def import_rows(world) -> list[dict]:
    from activities.importing import DelegationImporter
    from activities.models import Delegation, DelegationMember
    from activities.registries import DELEGATIONS as RECORD_TYPE
    from bench.run import percentiles, timed
    from core.models import Country, Unit
    from core.tabular import read_table
    from partners.models import Partner

    user = world.province_editor
    units = [world.danang.name, *Unit.objects.filter(parent=world.danang).values_list("name", flat=True)]
    countries = list(Country.objects.exclude(iso2="VN").order_by("iso2").values_list("name_vi", flat=True)[:40])
    partners = list(
        Partner.objects.unrestricted("bench").exclude(key="").order_by("pk").values_list("key", flat=True)[:60]
    )
    started = time.perf_counter()
    content = build_file(units, countries, partners)
    build_seconds = time.perf_counter() - started
    steps: dict[str, list[float]] = {"read": [], "plan": [], "commit": []}

    def run_import():
        start = time.perf_counter()
        headers, rows = read_table(content, "xlsx")
        read = time.perf_counter()
        importer = DelegationImporter(RECORD_TYPE, user)
        plan = importer.plan(headers, rows)
        planned = time.perf_counter()
        assert plan.ok, [str(error) for error in plan.errors[:5]]  # noqa: S101
        assert importer.commit(plan) == (DELEGATIONS, 0)  # noqa: S101
        for name, seconds in (
            ("read", read - start),
            ("plan", planned - read),
            ("commit", time.perf_counter() - planned),
        ):
            steps[name].append(seconds * 1000)

    owners = {unit.name: unit.pk for unit in Unit.objects.filter(name__in=units)}

    def floor():
        """openpyxl reading the file, then the same delegations and members in one bulk insert each."""
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        delegations, members = [], []
        current = None
        for cells in book.worksheets[0].iter_rows(min_row=2, values_only=True):
            if cells[1]:
                current = Delegation(
                    owner_id=owners[cells[1]],
                    direction=DIRECTIONS[cells[2]],
                    purpose=cells[3],
                    leader_name=cells[4],
                    leader_position=cells[5],
                    departs_on=_date(cells[9]),
                    returns_on=_date(cells[10]),
                    funding=FUNDING[cells[11]],
                    in_annual_plan=cells[12] == "có",
                    status=STATUSES[cells[13]],
                )
                if not delegations or delegations[-1].purpose != current.purpose:
                    delegations.append(current)
                else:
                    current = delegations[-1]
            members.append(
                DelegationMember(delegation=current, name=cells[14], position=cells[15], organisation=cells[16])
            )
        book.close()
        Delegation.objects.bulk_create(delegations)
        DelegationMember.objects.bulk_create(members)  # each takes its delegation's id, assigned by the insert

    page, bare = _rolled_back(run_import), _rolled_back(floor)
    with CaptureQueriesContext(connection) as captured:
        page()
    queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        bare()
    floor_queries = len(captured)
    for values in steps.values():
        values.clear()
    page_times, floor_times = [], []
    for _ in range(REPEAT):
        page_times.append(timed(page))
        floor_times.append(timed(bare))
    p50, p95 = percentiles(page_times)
    floor_p50, floor_p95 = percentiles(floor_times)
    refused = _one_bad_row(content, user)
    parts = ", ".join(f"{name} {percentiles(values)[0] / 1000:.1f} s" for name, values in steps.items())
    members = sum(MEMBERS[number % len(MEMBERS)] for number in range(1, DELEGATIONS + 1))
    print(
        f"import: {DELEGATIONS:,} delegations, {members:,} members, file of {len(content) / 1e6:.1f} MB built in "
        f"{build_seconds:.0f} s; {REPEAT} runs each; import median by step: {parts}; {refused}"
    )
    return [
        {
            "page": f"import delegations ({DELEGATIONS:,} + {members:,})",
            "rows": DELEGATIONS + members,
            "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "queries": queries,
            "floor_p50_ms": round(floor_p50, 2),
            "floor_p95_ms": round(floor_p95, 2),
            "floor_queries": floor_queries,
            "ratio": round(p50 / floor_p50, 2),
        }
    ]
