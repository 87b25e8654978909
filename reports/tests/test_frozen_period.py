"""The records behind a report sent cannot be changed without reopening it (issue 20, item 3; reports.freezing).

Đà Nẵng's report of 2025 (data from 15/12/2024 to 14/12/2025) is sent: its delegations and declared figures of that
period are refused on the web form, through the API, by the verbs and by imports, with a Vietnamese message that
names the report and says how to reopen it; nothing changes. A record outside the period, one of another province,
or one changed after the report is reopened is written as before.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from activities.importing import DelegationImporter
from activities.models import Delegation, DelegationMember
from activities.registries import DELEGATIONS
from activities.services import delegation_postpone
from activities.testing.factories import DelegationFactory
from core.models import DeclaredFigure
from core.registries import DECLARED_FIGURES
from core.services import frozen_refusals, record_create, record_delete, record_restore, record_update
from core.tabular import read_table
from core.testing.factories import DeclaredFigureFactory
from core.testing.world import login
from reports import services
from reports.choices import ReportStatus
from reports.freezing import frozen_by_reports
from reports.models import Submission
from reports.testing.factories import TEST_OUTLINE, ReportFactory, ReportingPeriodFactory, ReportingRegimeFactory

pytestmark = pytest.mark.django_db

IN_PERIOD = dt.date(2025, 4, 10)
OUTSIDE = dt.date(2023, 4, 10)
FORM = {
    "direction": "outgoing",
    "purpose": "Thăm và làm việc với thành phố Yongin",
    "date_precision": "day",
    "status": "planned",
    "report_days": "15",
    "member_count": "5",
    "members-TOTAL_FORMS": "0",
    "members-INITIAL_FORMS": "0",
}


@pytest.fixture
def sent(world):
    """Đà Nẵng's report of 2025, sent through its steps (reports.services)."""
    period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2025")
    # Its text states no figure: what is frozen here is the records, whatever the report says of them.
    sections = {"results": "Các đoàn ra thực hiện đúng kế hoạch.", "assessment": "Nhìn chung, tốt."}
    report = ReportFactory(owner=world.danang, reporting_period=period, sections=sections)
    report = services.report_review(report=report, user=world.province_editor)
    report = services.report_approve(report=report, user=world.approver)
    report = services.report_submit(report=report, user=world.province_editor)
    assert report.frozen
    return report


def refusal(report) -> str:
    return (
        f"Hồ sơ này thuộc kỳ báo cáo “năm 2025” của báo cáo “Đà Nẵng — {report.reporting_period.regime.name_vi}” "
        "đã gửi; muốn sửa, hãy mở lại báo cáo (có ghi lý do)."
    )


def _form(delegation=None, **changes) -> dict:
    data = dict(FORM)
    if delegation is not None:
        data.update(
            owner=delegation.owner_id,
            purpose=delegation.purpose,
            version=delegation.version,
            departs_on=f"{delegation.departs_on:%d/%m/%Y}",
            returns_on=f"{delegation.returns_on:%d/%m/%Y}",
        )
    return {**data, **changes}


def _edit(client, user, delegation, **changes):
    login(client, user)
    return client.post(
        reverse("activities:delegation_edit", kwargs={"pk": delegation.pk}), _form(delegation, **changes)
    )


def _stored(delegation) -> Delegation:
    return Delegation.all_objects.unrestricted("test").get(pk=delegation.pk)


def _delegation(owner, on=IN_PERIOD) -> Delegation:
    return DelegationFactory(owner=owner, departs_on=on, returns_on=on + dt.timedelta(days=5))


def test_editing_a_delegation_of_the_period_sent_is_refused_and_nothing_changes(client, world, sent):
    delegation = _delegation(world.danang)
    response = _edit(client, world.province_editor, delegation, purpose="Sửa sau khi gửi báo cáo")
    assert response.status_code == 400
    assert refusal(sent) in response.content.decode()
    stored = _stored(delegation)
    assert (stored.purpose, stored.version) == (delegation.purpose, delegation.version)
    assert stored.history.count() == 1


def test_creating_a_delegation_in_the_period_is_refused_and_outside_it_accepted(client, world, sent):
    login(client, world.province_editor)
    add = reverse("activities:delegation_add")
    response = client.post(add, _form(owner=world.danang.pk, departs_on="10/04/2025", returns_on="15/04/2025"))
    assert response.status_code == 400
    assert refusal(sent) in response.content.decode()
    assert not Delegation.all_objects.exists()

    response = client.post(add, _form(owner=world.danang.pk, departs_on="10/04/2023", returns_on="15/04/2023"))
    assert response.status_code == 302, response.content.decode()
    assert Delegation.objects.unrestricted("test").get().departs_on == OUTSIDE


def test_moving_a_delegation_into_or_out_of_the_period_is_refused(client, world, sent):
    before = _delegation(world.danang, OUTSIDE)
    response = _edit(client, world.province_editor, before, departs_on="10/04/2025", returns_on="15/04/2025")
    assert response.status_code == 400 and refusal(sent) in response.content.decode()
    assert _stored(before).departs_on == OUTSIDE

    within = _delegation(world.danang)
    response = _edit(client, world.province_editor, within, departs_on="10/04/2023", returns_on="15/04/2023")
    assert response.status_code == 400 and refusal(sent) in response.content.decode()
    assert _stored(within).departs_on == IN_PERIOD


def test_the_records_of_the_units_below_and_of_the_predecessor_are_behind_the_report(world, sent):
    # A department of Đà Nẵng's, and Quảng Nam (legacy), merged into Đà Nẵng (core.filtersets.unit_portfolio_q).
    for owner in (world.danang_dept, world.quangnam, world.quangnam_district):
        delegation = _delegation(owner)
        delegation.purpose = "Sửa"
        with pytest.raises(ValidationError) as refused:
            record_update(instance=delegation, user=world.province_editor, expected_version=delegation.version)
        assert refused.value.messages == [refusal(sent)], owner


def test_a_member_added_to_a_delegation_of_the_period_is_refused(world, sent):
    # The person-trips a report counts are the members listed (activities.models.Delegation.person_trips).
    delegation = _delegation(world.danang)
    with pytest.raises(ValidationError) as refused:
        record_create(instance=DelegationMember(delegation=delegation, name="Trần Văn C"), user=world.province_editor)
    assert refused.value.messages == [refusal(sent)]
    assert not delegation.members.exists()


def test_another_province_and_a_report_not_sent_are_not_affected(client, world, sent):
    other = _delegation(world.bacninh)
    response = _edit(client, world.other_editor, other, purpose="Bắc Ninh sửa")
    assert response.status_code == 302, response.content.decode()
    assert _stored(other).purpose == "Bắc Ninh sửa"

    # Bắc Ninh's own report of 2025, still in drafting, freezes nothing.
    ReportFactory(owner=world.bacninh, reporting_period=sent.reporting_period)
    response = _edit(client, world.other_editor, _stored(other), purpose="Bắc Ninh sửa lần nữa")
    assert response.status_code == 302, response.content.decode()


def test_the_edit_is_accepted_once_the_report_is_reopened(client, world, sent):
    delegation = _delegation(world.danang)
    assert _edit(client, world.province_editor, delegation, purpose="Trước khi mở lại").status_code == 400
    reopened = services.report_reopen(report=sent, user=world.province_editor, reason="Bổ sung một đoàn ra")
    assert reopened.status == ReportStatus.DRAFTING
    response = _edit(client, world.province_editor, _stored(delegation), purpose="Sau khi mở lại")
    assert response.status_code == 302, response.content.decode()
    assert _stored(delegation).purpose == "Sau khi mở lại"


def test_the_api_answers_400_with_the_message(world, sent):
    delegation = _delegation(world.danang)
    api = APIClient()
    api.force_authenticate(world.province_editor)
    url = f"/api/v1/delegations/{delegation.pk}/"
    read = api.get(url)
    payload = {key: value for key, value in read.json().items() if key not in {"id", "version", "person_trips"}}
    payload["purpose"] = "Sửa qua API"
    answers = [
        api.patch(url, {"purpose": "Sửa qua API"}, format="json", HTTP_IF_MATCH=read["ETag"]),
        api.put(url, payload, format="json", HTTP_IF_MATCH=read["ETag"]),
        api.delete(url),
    ]
    for answer in answers:
        assert answer.status_code == 400, answer.content
        assert refusal(sent) in str(answer.json()), answer.json()
    created = api.post("/api/v1/delegations/", {**payload, "owner": "da-nang"}, format="json")
    assert created.status_code == 400 and refusal(sent) in str(created.json())
    assert _stored(delegation).purpose == delegation.purpose
    assert Delegation.all_objects.count() == 1


def test_the_trash_and_the_steps_are_refused_too(client, world, sent):
    delegation = _delegation(world.danang)
    login(client, world.province_editor)
    response = client.post(reverse("activities:delegation_delete", kwargs={"pk": delegation.pk}), follow=True)
    assert response.status_code == 200 and refusal(sent) in response.content.decode()
    assert _stored(delegation).deleted_at is None
    with pytest.raises(ValidationError) as refused:
        delegation_postpone(delegation=delegation, user=world.province_editor)
    assert refused.value.messages == [refusal(sent)]
    assert _stored(delegation).status == "planned"

    # One moved to the trash before the report was sent stays there: the report did not count it.
    sent = services.report_reopen(report=sent, user=world.province_editor, reason="Sửa")
    record_delete(instance=_stored(delegation), user=world.province_editor)
    sent = services.report_review(report=sent, user=world.province_editor)
    sent = services.report_approve(report=sent, user=world.approver)
    services.report_submit(report=sent, user=world.province_editor)
    with pytest.raises(ValidationError) as refused:
        record_restore(instance=_stored(delegation), user=world.province_editor)
    assert refused.value.messages == [refusal(sent)]
    assert _stored(delegation).deleted_at is not None


def test_a_declared_figure_of_the_period_cannot_be_changed(world, sent):
    figure = DeclaredFigureFactory(owner=world.danang, indicator="foreign_press_groups", period="2025", value=3)
    half = DeclaredFigureFactory(owner=world.danang, indicator="foreign_press_groups", period="2025-H1", value=1)
    earlier = DeclaredFigureFactory(owner=world.danang, indicator="foreign_press_groups", period="2023", value=2)
    for record in (figure, half):
        record.value = Decimal(9)
        with pytest.raises(ValidationError) as refused:
            record_update(instance=record, user=world.province_editor, expected_version=record.version)
        assert refused.value.messages == [refusal(sent)]
    assert DeclaredFigure.objects.unrestricted("test").get(pk=figure.pk).value == 3
    earlier.value = Decimal(4)
    record_update(instance=earlier, user=world.province_editor, expected_version=earlier.version)
    assert DeclaredFigure.objects.unrestricted("test").get(pk=earlier.pk).value == 4


def test_an_import_into_the_period_writes_nothing_and_names_the_row(world, sent):
    headers = [
        "Số TT đoàn",
        "Đơn vị quản lý",
        "Loại đoàn",
        "Mục đích",
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Số thành viên",
    ]
    rows = [
        ["1", "Đà Nẵng", "Đoàn ra", "Thăm Yongin", "10/04/2023", "15/04/2023", "3"],
        ["2", "Đà Nẵng", "Đoàn ra", "Thăm Gunma", "10/04/2025", "15/04/2025", "4"],
    ]
    content = _xlsx([headers, *rows])
    importer = DelegationImporter(DELEGATIONS, world.province_editor)
    plan = importer.plan(*read_table(content, "xlsx"))
    assert [str(error) for error in plan.errors] == [f"dòng 3, cột Ngày bắt đầu: {refusal(sent)}"]
    assert not plan.creates and not Delegation.all_objects.exists()

    # One delegation a row, by the generic importer: a row that moves a delegation into the period is refused too.
    stored = _delegation(world.danang, OUTSIDE)
    generic = ["ID", "Ngày bắt đầu", "Ngày kết thúc"]
    plan = importer.plan(*read_table(_xlsx([generic, [str(stored.pk), "10/04/2025", "15/04/2025"]]), "xlsx"))
    assert [str(error) for error in plan.errors] == [f"dòng 2, cột Ngày bắt đầu: {refusal(sent)}"]


def test_an_import_of_declared_figures_is_checked_row_by_row(world, sent):
    headers = ["Đơn vị quản lý", "Chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Văn bản nguồn"]
    rows = [
        ["Đà Nẵng", "foreign_press_groups", "2023", "3", "Báo cáo 1"],
        ["Đà Nẵng", "foreign_press_groups", "2025", "4", "Báo cáo 2"],
    ]
    importer = DECLARED_FIGURES.importer(DECLARED_FIGURES, world.province_editor)
    plan = importer.plan(*read_table(_xlsx([headers, *rows]), "xlsx"))
    assert [error.row for error in plan.errors] == [3], [str(error) for error in plan.errors]
    assert refusal(sent) in str(plan.errors[0])


def test_one_query_answers_many_records(world, sent):
    records = [_delegation(world.danang, IN_PERIOD + dt.timedelta(days=day)) for day in range(20)]
    records += [_delegation(world.danang_dept, OUTSIDE)]
    with CaptureQueriesContext(connection) as captured:
        answers = frozen_by_reports(records)
    assert answers == [refusal(sent)] * 20 + [None]
    assert len(captured) == 1, [query["sql"] for query in captured]
    # A change checks the stored row and the new values: the owner the form read serves both, in one query.
    with CaptureQueriesContext(connection) as captured:
        assert frozen_refusals([_stored(records[0]), records[0]]) == [refusal(sent)] * 2
    assert len(captured) == 2, "the stored row read again, and the check"
    # The report itself and the register's rows have no period of their own: nothing asked.
    with CaptureQueriesContext(connection) as captured:
        assert frozen_refusals([sent, _register_row(sent)]) == [None, None]
    assert len(captured) == 1, "the register's row read"


def _register_row(report) -> Submission:
    return Submission.objects.unrestricted("test").get(owner=report.owner, reporting_period=report.reporting_period)


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for cells in rows:
        book.active.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_agreement_signed_in_the_period_still_takes_the_later_steps_of_its_procedure(world, sent):
    """An agreement's procedure runs for years after its signature: entering into force or expiring change no figure
    of the signing period and are not refused; editing its signing date is."""
    from agreements.models import Agreement
    from agreements.services import agreement_enter_into_force, agreement_expire
    from agreements.testing.factories import AgreementFactory

    agreement = AgreementFactory(owner=world.danang)
    Agreement.all_objects.filter(pk=agreement.pk).unrestricted("test").update(status="signed", signed_on=IN_PERIOD)
    agreement = Agreement.all_objects.unrestricted("test").get(pk=agreement.pk)
    agreement = agreement_enter_into_force(agreement=agreement, user=world.province_editor, on=IN_PERIOD)
    agreement = agreement_expire(agreement=agreement, user=world.province_editor, on=dt.date(2030, 1, 1))
    assert agreement.status == "expired"
    assert frozen_refusals([agreement]) == [refusal(sent)]
