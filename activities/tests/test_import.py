"""Delegations with their members from one sheet (issue 19, item 8; activities.importing): a file of delegations
with continuation rows imports right; one bad row among many writes nothing and is named by row and column; each
bad input of the delegation's form is refused with its Vietnamese message; the rows written in bulk are those
``delegation_create`` writes; the queries do not grow with the rows; and a file of 2,000 delegations with 10,000
members imports in one go."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from activities.forms import DelegationForm, MemberFormSet
from activities.importing import DelegationImporter
from activities.models import Delegation, DelegationMember
from activities.registries import DELEGATIONS
from activities.services import delegation_create
from core.models import AuditEntry, Job
from core.tabular import read_table
from partners.models import Interaction
from partners.testing.factories import PartnerFactory, RelationshipFactory, country

pytestmark = pytest.mark.django_db

HEADERS = [
    "Số TT đoàn",
    "Đơn vị quản lý",
    "Loại đoàn",
    "Mục đích",
    "Trưởng đoàn",
    "Nước đến",
    "Đối tác làm việc",
    "Nước đến từ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Nguồn kinh phí",
    "Trong kế hoạch đối ngoại năm được Thủ tướng Chính phủ phê duyệt",
    "Trạng thái",
    "Số thành viên",
    "Họ và tên",
    "Chức vụ",
    "Cơ quan",
]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def row(number="", member="", position="", organisation="", **delegation) -> list:
    """One row of the sheet: the delegation's cells by field (empty on a member's continuation row)."""
    cells = {
        "owner": "",
        "direction": "",
        "purpose": "",
        "leader_name": "",
        "countries": "",
        "partners": "",
        "origin_country": "",
        "departs_on": "",
        "returns_on": "",
        "funding": "",
        "in_annual_plan": "",
        "status": "",
        "member_count": "",
    }
    cells.update(delegation)
    return [number, *cells.values(), member, position, organisation]


def delegation_row(number, purpose, member="", **changes) -> list:
    cells = {
        "owner": "Đà Nẵng",
        "direction": "Đoàn ra",
        "purpose": purpose,
        "leader_name": "Lê Văn Thanh",
        "countries": "Hàn Quốc",
        "departs_on": "10/04/2024",
        "returns_on": "15/04/2024",
        "funding": "Ngân sách nhà nước",
        "in_annual_plan": "có",
        "status": "Đã lên kế hoạch",
    }
    cells.update(changes)
    return row(number, member, "Chuyên viên" if member else "", "Sở Ngoại vụ" if member else "", **cells)


def xlsx(rows: list[list], headers=HEADERS) -> bytes:
    book = Workbook(write_only=True)  # streamed: the large files of these tests are written in a second or two
    sheet = book.create_sheet()
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_of(user, rows, headers=HEADERS):
    importer = DelegationImporter(DELEGATIONS, user)
    return importer, importer.plan(*read_table(xlsx(rows, headers), "xlsx"))


def imported(user, rows, headers=HEADERS):
    importer, plan = plan_of(user, rows, headers)
    assert plan.ok, [str(error) for error in plan.errors]
    return importer.commit(plan)


def many(count: int, members_each: int = 5) -> list[list]:
    rows = []
    for number in range(1, count + 1):
        purpose = f"Xúc tiến hợp tác số {number}"
        rows.append(delegation_row(number, purpose, member=f"Nguyễn Văn {number}-1"))
        rows += [row("", f"Nguyễn Văn {number}-{index}", "Chuyên viên") for index in range(2, members_each + 1)]
    return rows


@pytest.fixture
def korea():
    return country("KR", "Hàn Quốc", "South Korea")


def test_a_small_file_with_continuation_rows_imports_right(world, korea):
    japan = country("JP", "Nhật Bản", "Japan")
    rows = [
        delegation_row(1, "Thăm thành phố Yongin", member="Lê Văn Thanh"),
        row("", "Nguyễn Thị Hoa", "Giám đốc Sở Ngoại vụ", "Sở Ngoại vụ"),
        row("", "Trần Văn Bình", "Chuyên viên"),
        # The next delegation's cells repeated on its second row, as some provinces write them.
        delegation_row(2, "Dự hội chợ du lịch Tokyo", member="Phạm Văn An", countries="Nhật Bản; Hàn Quốc"),
        delegation_row(2, "Dự hội chợ du lịch Tokyo", member="Võ Thị Mai", countries="Nhật Bản; Hàn Quốc"),
        # A delegation without its list: one row, its number declared.
        delegation_row(3, "Đoàn doanh nghiệp đi Seoul", member_count="7", funding="Doanh nghiệp chi trả"),
        delegation_row(
            4,
            "Đoàn Sở Văn hóa Busan sang thăm",
            member="Kim Min-jun",
            direction="Đoàn vào",
            countries="",
            origin_country="KR",
            funding="Phía đối tác chi trả",
            in_annual_plan="",
        ),
        row("", "Lee Ji-eun", "Trưởng phòng"),
        row("", "Park Seo-yeon"),
        # Its number on its rows, after a blank in the numbering (a merged cell read empty).
        delegation_row(5, "Học tập kinh nghiệm quản lý đô thị", member="Đặng Văn Hùng", status="Đã phê duyệt"),
        row(5, "Hoàng Thị Lan"),
        row("", "Bùi Văn Tâm"),
        row("", "Đỗ Thị Thu"),
    ]
    assert imported(world.province_editor, rows) == (5, 0)

    delegations = {item.purpose: item for item in Delegation.objects.unrestricted("test").order_by("pk")}
    assert len(delegations) == 5
    yongin = delegations["Thăm thành phố Yongin"]
    assert [member.name for member in yongin.members.order_by("pk")] == [
        "Lê Văn Thanh",
        "Nguyễn Thị Hoa",
        "Trần Văn Bình",
    ]
    assert yongin.members.get(name="Nguyễn Thị Hoa").position == "Giám đốc Sở Ngoại vụ"
    assert yongin.owner == world.danang and yongin.direction == "outgoing" and yongin.in_annual_plan
    assert yongin.departs_on == dt.date(2024, 4, 10) and yongin.returns_on == dt.date(2024, 4, 15)
    assert list(yongin.countries.all()) == [korea]
    assert yongin.created_by == world.province_editor and yongin.version == 1
    tokyo = delegations["Dự hội chợ du lịch Tokyo"]
    assert set(tokyo.countries.all()) == {japan, korea} and tokyo.members.count() == 2
    seoul = delegations["Đoàn doanh nghiệp đi Seoul"]
    assert seoul.members.count() == 0 and seoul.person_trips == 7 and seoul.funding == "enterprise"
    busan = delegations["Đoàn Sở Văn hóa Busan sang thăm"]
    assert busan.direction == "incoming" and busan.origin_country == korea and busan.members.count() == 3
    assert busan.in_annual_plan is None, "an empty cell is not known, as the form's empty choice"
    assert delegations["Học tập kinh nghiệm quản lý đô thị"].members.count() == 4
    assert DelegationMember.objects.unrestricted("test").count() == 12
    # One audit entry for the import, with its counts.
    entry = AuditEntry.objects.get(action="import")
    assert entry.detail == {"model": "activities.delegation", "created": 5, "updated": 0, "members": 12}
    assert entry.user == world.province_editor


def test_one_bad_row_among_many_writes_nothing_and_names_that_row(world, korea):
    rows = many(40, members_each=3)
    bad = 2 + 3 * 25 + 1  # the second member of the 26th delegation
    rows[bad - 2][HEADERS.index("Ngày kết thúc")] = "32/13/2024"
    importer, plan = plan_of(world.province_editor, rows)
    assert not plan.ok and plan.creates == []
    assert [(error.row, error.column) for error in plan.errors] == [(bad, "Ngày kết thúc")]
    assert "Ngày kết thúc" in str(plan.errors[0]) and f"dòng {bad}" in str(plan.errors[0])
    assert not Delegation.objects.unrestricted("test").exists()
    assert not DelegationMember.objects.unrestricted("test").exists()


def errors_of(user, rows, headers=HEADERS) -> list[tuple[int, str, str]]:
    _importer, plan = plan_of(user, rows, headers)
    assert not plan.ok
    return [(error.row, error.column, error.message) for error in plan.errors]


def test_a_required_field_left_empty_is_refused(world, korea):
    rows = [delegation_row(1, "", member="Lê Văn Thanh")]
    assert errors_of(world.province_editor, rows) == [(2, "Mục đích", "Trường này là bắt buộc.")]


def test_a_return_before_the_departure_is_refused(world, korea):
    rows = [delegation_row(1, "Thăm Yongin", member="A"), delegation_row(2, "Thăm Busan", departs_on="10/04/2024")]
    rows[1][HEADERS.index("Ngày kết thúc")] = "01/04/2024"
    rows[1][HEADERS.index("Họ và tên")] = "B"
    [(number, column, message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (3, "Ngày kết thúc")
    assert message == "Ngày kết thúc: đoàn không thể kết thúc (01/04/2024) trước khi bắt đầu (10/04/2024)."


def test_a_member_listed_twice_in_one_delegation_is_refused(world, korea):
    rows = [delegation_row(1, "Thăm Yongin", member="Lê Văn Thanh"), row("", "Le Van Thanh")]
    [(number, column, message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (3, "Họ và tên")
    assert message.startswith("Họ và tên: người này đã có trong danh sách thành viên của đoàn.") and "dòng 2" in message


def test_neither_members_nor_a_count_is_refused(world, korea):
    rows = [delegation_row(1, "Thăm Yongin")]
    [(number, column, message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (2, "Số thành viên")
    assert message.startswith("Số thành viên: ")


def test_an_incoming_delegation_from_viet_nam_is_refused(world, korea):
    country("VN", "Việt Nam", "Viet Nam")
    rows = [delegation_row(1, "Đoàn vào", member="A", direction="Đoàn vào", countries="", origin_country="Việt Nam")]
    [(number, column, message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (2, "Nước đến từ")
    assert message.startswith("Nước đến từ: ")


def test_a_negative_count_is_refused(world, korea):
    rows = [delegation_row(1, "Thăm Yongin", member_count="-3")]
    [(number, column, message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (2, "Số thành viên")
    assert message == "Số thành viên: không được là số âm."


def test_a_unit_the_user_may_not_change_is_refused(world, korea):
    rows = [delegation_row(1, "Thăm Yongin", member="A", owner="Bắc Ninh")]
    [(number, column, message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (2, "Đơn vị quản lý")
    assert "Bắc Ninh" in message and "Đà Nẵng" in message, "the units the user may choose are named"


def test_a_continuation_row_that_contradicts_its_delegation_is_refused(world, korea):
    rows = [delegation_row(1, "Thăm Yongin", member="A"), row("", "B", purpose="Thăm Busan")]
    [(number, column, message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (3, "Mục đích") and "dòng 2" in message


def test_a_first_row_without_a_number_and_an_unknown_column_are_refused(world, korea):
    rows = [delegation_row("", "Thăm Yongin", member="A")]
    [(number, column, _message)] = errors_of(world.province_editor, rows)
    assert (number, column) == (2, "Số TT đoàn")
    [(number, column, message)] = errors_of(world.province_editor, [[*rows[0], "x"]], [*HEADERS, "Ghi chú khác"])
    assert (number, column) == (1, "Ghi chú khác") and "Họ và tên" in message


def _comparable(record) -> dict:
    skip = {"id", "created_at", "updated_at", "delegation"}
    return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields if f.name not in skip}


def test_the_rows_written_are_those_delegation_create_writes(world, korea):
    """A delegation imported in bulk and the same delegation written by its service: the same fields, search text,
    members and history rows (with the import's reason)."""
    yongin = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="Yongin City", key="yongin")
    RelationshipFactory(owner=world.danang, partner=yongin)
    rows = [
        delegation_row(
            1, "  Thăm  thành phố Yongin ", member="Lê Văn Thanh", partners="yongin", status="Đã hoàn thành"
        ),
        row("", "Nguyễn Thị Hoa", "Giám đốc", "Sở Ngoại vụ"),
    ]
    imported(world.province_editor, rows)
    bulk = Delegation.objects.unrestricted("test").get()

    data = {
        "owner": world.danang.pk,
        "direction": "outgoing",
        "purpose": "  Thăm  thành phố Yongin ",
        "leader_name": "Lê Văn Thanh",
        "countries": [korea.pk],
        "partners": [yongin.pk],
        "departs_on": "10/04/2024",
        "returns_on": "15/04/2024",
        "date_precision": "day",
        "funding": "state_budget",
        "in_annual_plan": "true",
        "status": "done",
        "report_days": "15",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "Lê Văn Thanh",
        "members-0-position": "Chuyên viên",
        "members-0-organisation": "Sở Ngoại vụ",
        "members-1-name": "Nguyễn Thị Hoa",
        "members-1-position": "Giám đốc",
        "members-1-organisation": "Sở Ngoại vụ",
    }
    form = DelegationForm(data=data, user=world.province_editor)
    assert form.is_valid(), form.errors
    formset = MemberFormSet(data=data, instance=form.instance, prefix="members")
    assert formset.is_valid(), formset.errors
    instance = form.save(commit=False)
    m2m = {"countries": form.cleaned_data["countries"], "partners": form.cleaned_data["partners"]}
    served = delegation_create(instance=instance, user=world.province_editor, m2m=m2m, children=[formset])
    served.refresh_from_db()

    assert _comparable(bulk) == _comparable(served)
    assert bulk.search_text == served.search_text != ""
    assert list(bulk.countries.all()) == list(served.countries.all())
    assert list(bulk.partners.all()) == list(served.partners.all())
    bulk_members = [_comparable(member) for member in bulk.members.order_by("pk")]
    assert bulk_members == [_comparable(member) for member in served.members.order_by("pk")]
    assert [m.search_text for m in bulk.members.order_by("pk")] == [
        m.search_text for m in served.members.order_by("pk")
    ]
    # History: one row per record, the same fields; the import's reason where the service says "create".
    bulk_history, served_history = list(bulk.history.all()), list(served.history.all())
    assert len(bulk_history) == len(served_history) == 1
    assert bulk_history[0].history_change_reason == "import" and served_history[0].history_change_reason == "create"
    assert bulk_history[0].history_type == served_history[0].history_type == "+"
    assert bulk_history[0].history_user == world.province_editor
    history_fields = [
        f.attname for f in Delegation.history.model.tracked_fields if f.name not in {"id", "created_at", "updated_at"}
    ]
    assert [getattr(bulk_history[0], name) for name in history_fields] == [
        getattr(served_history[0], name) for name in history_fields
    ]
    member_history = DelegationMember.history.filter(delegation_id=bulk.pk)
    assert member_history.count() == DelegationMember.history.filter(delegation_id=served.pk).count() == 2
    assert set(member_history.values_list("history_change_reason", flat=True)) == {"import"}
    # Done with a partner met: one visit each in the relationship's timeline, as the service adds it.
    assert bulk.interactions.count() == served.interactions.count() == 1
    visit = bulk.interactions.get()
    assert (visit.kind, visit.on, visit.summary) == (
        "visit_out",
        dt.date(2024, 4, 10),
        served.interactions.get().summary,
    )
    assert Interaction.objects.unrestricted("test").count() == 2


def test_the_queries_do_not_grow_with_the_rows(world, korea):
    def queries(count):
        Delegation.objects.unrestricted("test").delete()
        importer = DelegationImporter(DELEGATIONS, world.province_editor)
        content = xlsx(many(count, members_each=3))
        with CaptureQueriesContext(connection) as captured:
            plan = importer.plan(*read_table(content, "xlsx"))
            assert plan.ok
            importer.commit(plan)
        inserts = [query for query in captured if query["sql"].startswith("INSERT")]
        others = [query for query in captured if not query["sql"].startswith(("INSERT", "SAVEPOINT", "RELEASE"))]
        return len(others), len(inserts)

    queries(5)  # what is read once per process (the scope's units) is read before counting
    (small, _inserts), (large, inserts) = queries(10), queries(100)
    assert large == small, (small, large)
    # The rows go in batches (as many as the database takes in one statement): 100 delegations and 300 members
    # written twice (rows and history) and 100 destinations take a few statements, never one a row.
    assert inserts <= 900 // 25, inserts


def test_five_hundred_delegations_with_two_thousand_five_hundred_members(world, korea):
    # Larger files are the benchmark's (10,000 delegations, 50,000 members: bench/importing.py); here the whole path
    # at a size where a batch boundary is crossed.
    content = xlsx(many(500, members_each=5))
    importer = DelegationImporter(DELEGATIONS, world.province_editor)
    plan = importer.plan(*read_table(content, "xlsx"))
    assert plan.ok, plan.errors[:3]
    assert importer.commit(plan) == (500, 0)
    assert Delegation.objects.unrestricted("test").count() == 500
    assert DelegationMember.objects.unrestricted("test").count() == 2500
    assert Delegation.history.filter(history_change_reason="import").count() == 500


def test_the_import_runs_as_a_job_from_the_delegations_import_page(client, world, korea):
    from core.testing.world import login

    login(client, world.province_editor)
    page = client.get("/delegations/import/")
    assert page.status_code == 200 and "Họ và tên" in page.content.decode()
    template = client.get("/delegations/import/template/")
    assert template.status_code == 200
    headers, _rows = read_table(template.content, "xlsx")
    assert headers[0] == "Số TT đoàn" and headers[-3:] == ["Họ và tên", "Chức vụ", "Cơ quan"]
    upload = io.BytesIO(xlsx([delegation_row(1, "Thăm Yongin", member="A"), row("", "B")]))
    upload.name = "doan.xlsx"
    response = client.post("/delegations/import/", {"file": upload, "attest_not_secret": "on"})
    assert response.status_code == 200, response.content.decode()[:2000]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda function, *args, **kwargs: function())
        response = client.post("/delegations/import/", {"confirm": "1"})
    assert response.status_code == 302
    job = Job.objects.get(kind="import_records")
    assert job.status == "done", job.error
    assert job.result["created"] == 1
    assert Delegation.objects.unrestricted("test").get().members.count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_the_record_type_names_its_importer_and_the_check_refuses_another_kind():
    import dataclasses

    from activities.registries import DELEGATION_MEMBERS
    from core.importing import Importer
    from partners.registries import PARTNERS

    assert DELEGATIONS.importer is DelegationImporter
    assert DELEGATION_MEMBERS.importer is Importer and PARTNERS.importer is Importer, "the generic one by default"
    assert DELEGATIONS.problems() == []
    wrong = dataclasses.replace(DELEGATIONS, importer=dict)
    assert "importer <class 'dict'> is not a core.importing.Importer" in wrong.problems()
