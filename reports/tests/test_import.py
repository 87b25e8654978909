"""The register of reports received from a sheet (reports.importing; CONTRACT.md, ``import_records submissions``):
units written as registers write them, with or without diacritics, resolved to the unit of the period; suspicious
rows imported and flagged; unknown units, regimes, periods and dates refused by row and column with nothing
written; a second import of the same file writes nothing; a province records only its own rows; the web import
page and its template; and the demo register, 59 of the 63 provinces of 2017-H1."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from core.models import AuditEntry, Job
from core.tabular import read_table
from core.testing.imports import XLSX
from core.testing.world import load_demo_data, login, make_unit
from reports.choices import SubmissionFlag
from reports.importing import SubmissionImporter
from reports.models import ReportingPeriod, Submission
from reports.register import build_register, summary
from reports.registries import SUBMISSIONS

pytestmark = pytest.mark.django_db

HEADER = ["regime", "period", "unit", "sent_on", "received_on", "note"]
REGIME = "local_foreign_affairs"
LABELS_VI = ["Chế độ báo cáo", "Kỳ báo cáo", "Đơn vị báo cáo", "Ngày gửi", "Ngày nhận", "Ghi chú"]
LABELS_EN = ["Regime", "Period", "Unit that reported", "Date sent", "Date received", "Note"]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def regimes(world):
    """The shipped regimes (reference data): the Party's foreign relations commission receives the local one."""
    from reports.regimes import load_regimes

    make_unit("cfrc", "Ban Đối ngoại Trung ương", "central_body")
    load_regimes()
    return world


def csv_file(tmp_path, rows, header=HEADER, name="so-theo-doi.csv"):
    lines = [",".join(header), *(",".join(f'"{cell}"' if "," in cell else cell for cell in row) for row in rows)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(path, user=None) -> tuple[str, str, bool]:
    """What ``import_records submissions`` printed (out, err) and whether it wrote."""
    out, err = io.StringIO(), io.StringIO()
    options = {"user": user.username} if user is not None else {}
    try:
        call_command("import_records", "submissions", str(path), stdout=out, stderr=err, **options)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), False
    return out.getvalue(), err.getvalue(), True


def rows_of(period_label="2017-H1", regime=REGIME) -> list[Submission]:
    return list(
        Submission.objects.filter(reporting_period__regime__key=regime, reporting_period__period=period_label)
        .select_related("owner")
        .unrestricted("test")
        .order_by("pk")
    )


GOOD = [
    # On time; Quảng Nam (before 2025) by its Party committee.
    [REGIME, "2017-H1", "Tỉnh ủy Quảng Nam", "16/06/2017", "19/06/2017", "Gửi đúng hạn"],
    # The same province again, without diacritics, in ISO dates: listed twice, and received before it was sent.
    [REGIME, "2017-H1", "UBND tinh Quang Nam", "2017-06-19", "18/06/2017", ""],
    # Đà Nẵng as a unit of its own only from 2025 (the world's): not in the period; sent before the row above it.
    [REGIME, "2017-H1", "Thành phố Đà Nẵng", "10/06/2017", "12/06/2017", "Gửi qua bưu điện, có phụ lục"],
]


def test_the_command_imports_a_register_and_flags_the_suspicious_rows(regimes, tmp_path):
    world = regimes
    out, err, wrote = run(csv_file(tmp_path, GOOD), world.national_admin)
    assert wrote, err
    assert "created 3, updated 0" in out
    period = ReportingPeriod.objects.get(regime__key=REGIME, period="2017-H1")
    assert (period.deadline, period.on_time_until) == (dt.date(2017, 6, 20), dt.date(2017, 6, 20))
    first, second, third = rows_of()
    assert [row.owner for row in (first, second, third)] == [world.quangnam, world.quangnam, world.danang]
    assert (first.sent_on, first.received_on, first.note) == (
        dt.date(2017, 6, 16),
        dt.date(2017, 6, 19),
        "Gửi đúng hạn",
    )
    assert first.flags == [SubmissionFlag.DUPLICATE]
    assert second.flags == [SubmissionFlag.RECEIVED_BEFORE_SENT, SubmissionFlag.DUPLICATE]
    assert third.flags == [SubmissionFlag.UNIT_NOT_IN_PERIOD, SubmissionFlag.OUT_OF_ORDER]
    assert third.note == "Gửi qua bưu điện, có phụ lục"
    assert first.on_time and third.days_late == 0
    for row in (first, second, third):
        assert (row.source, row.created_by, row.updated_by, row.version) == (
            "register",
            world.national_admin,
            world.national_admin,
            1,
        )
        assert row.history.get().history_change_reason == "import"
        assert row.history.get().history_user == world.national_admin
    assert third.search_text == Submission(note=third.note).build_search_text() and "buudien" in third.search_text
    entry = AuditEntry.objects.get(action="import")
    assert entry.user == world.national_admin
    assert entry.detail["created"] == 3 and entry.detail["periods"] == [f"{REGIME} 2017-H1"]


@pytest.mark.parametrize("labels", [LABELS_VI, LABELS_EN], ids=["vi", "en"])
def test_an_excel_file_headed_with_the_screens_labels_is_read(regimes, tmp_path, labels):
    """Excel date cells, a year typed as a number, the columns in another order and headed as the screens head
    them (any language, any case, without diacritics)."""
    world = regimes
    header = [labels[2].upper(), labels[0], labels[1], labels[3], labels[4], labels[5]]
    path = tmp_path / "so.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                header,
                ["So Ngoai vu Quang Nam", "agreements_annual", 2017, dt.date(2017, 12, 18), dt.date(2017, 12, 22), ""],
                ["Quảng Nam", "foreign_affairs_annual", "2017", dt.datetime(2017, 12, 25), None, "Gửi muộn"],  # noqa: DTZ001 - Excel's are naive
            ]
        )
    )
    out, err, wrote = run(path, world.national_admin)
    assert wrote, err
    (agreements,) = rows_of("2017", "agreements_annual")
    (summary_row,) = rows_of("2017", "foreign_affairs_annual")
    assert agreements.owner == world.quangnam and agreements.sent_on == dt.date(2017, 12, 18)
    assert agreements.received_on == dt.date(2017, 12, 22) and agreements.flags == []
    assert (summary_row.sent_on, summary_row.received_on, summary_row.note) == (dt.date(2017, 12, 25), None, "Gửi muộn")
    assert not summary_row.on_time


def test_an_unknown_unit_is_refused_naming_it_and_nothing_is_written(regimes, tmp_path):
    rows = [
        *GOOD,
        [REGIME, "2017-H1", "Tỉnh ủy Quảng Nom", "16/06/2017", "", ""],
        [REGIME, "2017-H1", "Sở Ngoại vụ Atlantis", "16/06/2017", "", ""],
    ]
    out, err, wrote = run(csv_file(tmp_path, rows), regimes.national_admin)
    assert not wrote
    lines = err.splitlines()
    assert [line for line in lines if line.startswith("row 5, column unit: “Tỉnh ủy Quảng Nom”")], err
    assert "Quảng Nam" in next(line for line in lines if line.startswith("row 5,"))
    atlantis = "row 6, column unit: “Sở Ngoại vụ Atlantis” không phải là tỉnh, thành phố, cũng không phải Tỉnh ủy"
    assert [line for line in lines if line.startswith(atlantis)], err
    assert "2 errors; nothing was written" in err
    assert Submission.all_objects.unrestricted("test").count() == 0
    assert not ReportingPeriod.objects.exists(), "no period is created for a file that is refused"
    assert not AuditEntry.objects.filter(action="import").exists()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"sent_on": "31/02/2017"}, "row 2, column sent_on: “31/02/2017” không phải là ngày"),
        ({"received_on": "hôm qua"}, "row 2, column received_on: “hôm qua” không phải là ngày"),
        ({"regime": "khong_co"}, "row 2, column regime: “khong_co” không phải là chế độ báo cáo"),
        ({"regime": "agreements_annual"}, "row 2, column period: “2017-H1”"),
        ({"period": "2017-H7"}, "row 2, column period: “2017-H7”"),
        ({"unit": ""}, "row 2, column unit: Trường này là bắt buộc."),
    ],
    ids=["impossible-date", "not-a-date", "regime", "period-of-a-yearly-regime", "period", "empty-unit"],
)
def test_a_bad_cell_is_refused_by_row_and_column(regimes, tmp_path, cells, expected):
    row = dict(zip(HEADER, GOOD[0], strict=True)) | cells
    out, err, wrote = run(csv_file(tmp_path, [list(row.values()), GOOD[2]]), regimes.national_admin)
    assert not wrote
    assert [line for line in err.splitlines() if line.startswith(expected)], err
    assert Submission.all_objects.unrestricted("test").count() == 0


def test_a_missing_column_and_an_unknown_one_are_refused(regimes, tmp_path):
    header = ["regime", "period", "sent_on", "Số công văn"]
    out, err, wrote = run(csv_file(tmp_path, [[REGIME, "2017-H1", "16/06/2017", "12/BC"]], header=header))
    assert not wrote
    columns = ", ".join(LABELS_VI)
    assert f"row 1, column Số công văn: cột không xác định; các cột được đọc là: {columns}" in err
    assert "row 1, column Đơn vị báo cáo: thiếu cột bắt buộc" in err
    assert Submission.all_objects.unrestricted("test").count() == 0


def test_a_second_import_of_the_same_file_writes_nothing(regimes, tmp_path):
    world = regimes
    # A row listed twice with the same dates, as a register may: both written once, then neither again.
    path = csv_file(tmp_path, [*GOOD, GOOD[0]])
    assert run(path, world.national_admin)[2]
    before = Submission.all_objects.unrestricted("test").count()
    assert before == 4
    out, err, wrote = run(path, world.national_admin)
    assert wrote, err
    assert "created 0, updated 0" in out
    assert Submission.all_objects.unrestricted("test").count() == before
    plan = SubmissionImporter(SUBMISSIONS, world.national_admin).plan(*read_table(path.read_bytes(), "csv"))
    assert plan.ok and plan.creates == [] and plan.unchanged == [2, 3, 4, 5]
    # A row whose dates changed is a new row of the register (and the unit's second: flagged).
    changed = csv_file(
        tmp_path, [[REGIME, "2017-H1", "Tỉnh ủy Quảng Nam", "16/06/2017", "20/06/2017", ""]], name="b.csv"
    )
    assert "created 1," in run(changed, world.national_admin)[0]


def test_a_province_records_only_its_own_rows(regimes, tmp_path):
    world = regimes
    path = csv_file(tmp_path, [GOOD[0]])
    out, err, wrote = run(path, world.other_editor)  # Bắc Ninh's editor
    assert not wrote
    assert "row 2, column unit: bạn không có quyền ghi sổ báo cáo của “Quảng Nam”." in err.splitlines()
    assert Submission.all_objects.unrestricted("test").count() == 0
    # Đà Nẵng's editor records the rows of Quảng Nam, which Đà Nẵng succeeds; the national admin every province's.
    assert run(path, world.province_editor)[2]
    bac_ninh = csv_file(tmp_path, [[REGIME, "2017-H1", "Sở Ngoại vụ Bắc Ninh", "16/06/2017", "", ""]], name="bn.csv")
    assert not run(bac_ninh, world.province_editor)[2]
    assert run(bac_ninh, world.national_admin)[2]


def test_the_web_import_previews_then_writes_the_register(client, regimes, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world = regimes
    login(client, world.national_admin)
    page = client.get("/submissions/import/")
    assert page.status_code == 200
    assert ", ".join(LABELS_VI) in page.content.decode()
    template = client.get("/submissions/import/template/")
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    headers, rows = read_table(template.content, "xlsx")
    assert headers == LABELS_VI and rows == []
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template.content))
    notes = {row[0].value: row[2].value for row in book["Hướng dẫn"].iter_rows() if row[0].value in LABELS_VI}
    assert "local_foreign_affairs" in notes["Chế độ báo cáo"] and "agreements_annual" in notes["Chế độ báo cáo"]
    assert "dd/mm/yyyy" in notes["Ngày gửi"] and "Tỉnh ủy" in notes["Đơn vị báo cáo"]
    content = "\n".join([",".join(LABELS_VI), *(",".join(row) for row in GOOD[:2])]).encode()
    upload = SimpleUploadedFile("so.csv", content, content_type="text/csv")
    preview = client.post("/submissions/import/", {"file": upload, "attest_not_secret": "on"})
    assert preview.status_code == 200, preview.content.decode()[:3000]
    assert len(preview.context["plan"].creates) == 2
    assert Submission.all_objects.unrestricted("test").count() == 0 and not ReportingPeriod.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post("/submissions/import/", {"confirm": "1"})
    job = Job.objects.get(kind="import_records")
    assert confirm["Location"] == job.get_absolute_url()
    assert job.status == "done", job.error
    assert (job.result["created"], job.result["unchanged"]) == (2, 0)
    assert [row.flags for row in rows_of()] == [
        [SubmissionFlag.DUPLICATE],
        [SubmissionFlag.RECEIVED_BEFORE_SENT, SubmissionFlag.DUPLICATE],
    ]
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_the_web_import_names_the_bad_cells(client, regimes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, regimes.province_editor)
    content = "\n".join([",".join(HEADER), f"{REGIME},2017-H1,Sở Ngoại vụ Bắc Ninh,16/06/2017,,"]).encode()
    upload = SimpleUploadedFile("so.csv", content, content_type="text/csv")
    response = client.post("/submissions/import/", {"file": upload, "attest_not_secret": "on"})
    assert response.status_code == 400
    errors = [str(error) for error in response.context["plan"].errors]
    assert len(errors) == 1 and errors[0].startswith("dòng 2, cột Unit:") and "Bắc Ninh" in errors[0], errors


def test_the_lists_own_export_imports_back_unchanged(client, regimes, tmp_path):
    world = regimes
    assert run(csv_file(tmp_path, GOOD), world.national_admin)[2]
    login(client, world.national_admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    for kind in ("csv", "xlsx"):
        export = client.get("/submissions/", {"export": kind})
        assert export.status_code == 200
        upload = SimpleUploadedFile(f"export.{kind}", export.content)
        response = client.post("/submissions/import/", {"file": upload, "attest_not_secret": "on"})
        plan = response.context["plan"]
        assert plan.ok, [str(error) for error in plan.errors]
        assert (len(plan.creates), len(plan.updates), len(plan.unchanged)) == (0, 0, 3), kind


def test_the_record_type_names_the_importer():
    assert SUBMISSIONS.importer is SubmissionImporter
    assert SUBMISSIONS.problems() == []


# -- the demo register -------------------------------------------------------------------------------------------


def test_the_demo_register_has_59_of_63_provinces_with_the_late_and_flagged_rows(demo):
    assert "register of reports received: 61 created" in demo
    period = ReportingPeriod.objects.get(regime__key=REGIME, period="2017-H1")
    register = build_register(period)
    figures = summary(register)
    assert (figures["expected_count"], figures["submitted_count"], figures["missing_count"]) == (63, 59, 4)
    assert {unit["name"] for unit in figures["missing"]} == {"Hà Giang", "Lai Châu", "Kon Tum", "Thừa Thiên Huế"}
    assert {unit["name"] for unit in figures["late"]} == {
        "Cao Bằng",
        "Sơn La",
        "Hậu Giang",
        "Điện Biên",
        "Trà Vinh",
        "Bắc Kạn",
    }
    assert figures["on_time_count"] == 53 and str(figures["reporting_rate"]) == "93.7"
    assert "Quảng Nam" in {unit["name"] for unit in figures["on_time"]}
    flagged = {(row.owner.name, tuple(row.flags)) for row in register.flagged}
    assert flagged == {
        ("Bình Phước", (SubmissionFlag.RECEIVED_BEFORE_SENT,)),
        ("Nghệ An", (SubmissionFlag.DUPLICATE,)),
        ("Huế", (SubmissionFlag.UNIT_NOT_IN_PERIOD,)),
        ("Phú Yên", (SubmissionFlag.OUT_OF_ORDER,)),
    }
    assert len(register.flagged) == 5, "both rows of Nghệ An"
    assert [row.owner.name for row in register.unexpected] == ["Huế"]
    assert {row.source for row in rows_of()} == {"register"}


def test_a_second_load_creates_nothing(demo):
    before = Submission.all_objects.unrestricted("test").count()
    lines = load_demo_data()
    assert "register of reports received: 0 created" in lines
    assert Submission.all_objects.unrestricted("test").count() == before


def test_a_file_in_the_lists_own_columns_is_read_by_the_generic_importer(regimes):
    """The list's columns (the regime and period in one column, as the form chooses it) rather than the register's:
    read as every list's import reads it, one row through the form, with one audit entry."""
    from reports.regimes import regime_named, reporting_period

    world = regimes
    period = reporting_period(regime_named(REGIME), "2017-H1")
    headers = ["Đơn vị quản lý", "Chế độ và kỳ báo cáo", "Ngày gửi", "Ngày nhận", "Ghi chú"]
    importer = SubmissionImporter(SUBMISSIONS, world.province_editor)
    plan = importer.plan(headers, [["Quang Nam (cu)", str(period), "16/06/2017", "19/06/2017", "Bản giấy"]])
    assert plan.ok, [str(error) for error in plan.errors]
    assert len(plan.creates) == 1
    assert importer.commit(plan) == (1, 0)
    row = Submission.objects.unrestricted("test").get()
    assert (row.owner, row.reporting_period, row.sent_on, row.note) == (
        world.quangnam,
        period,
        dt.date(2017, 6, 16),
        "Bản giấy",
    )
    assert AuditEntry.objects.filter(action="import").count() == 1
