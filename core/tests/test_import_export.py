"""Import and export of registries: all-or-nothing, errors by row and column, round trip."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from agreements.models import Agreement
from core.models import DeclaredFigure
from core.records import Importer
from core.registries import DECLARED_FIGURES
from core.tabular import read_table, write_csv
from core.testing.factories import DeclaredFigureFactory


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["owner", "indicator", "period", "qualifier", "value", "source_document"]


@pytest.mark.django_db
def test_a_file_with_one_bad_row_writes_nothing_and_names_row_and_column(world):
    content = _xlsx(
        [
            HEADER,
            ["da-nang", "outgoing_delegations", "2013", "exact", 164, "Báo cáo 2013"],
            ["da-nang", "outgoing_delegations", "2013-H3", "exact", "many", "Báo cáo 2013"],
            ["bac-ninh", "no_such_indicator", "2013", "exact", 1, "Báo cáo 2013"],
        ]
    )
    importer = Importer(DECLARED_FIGURES, world.province_editor)
    plan = importer.plan(*read_table(content, "xlsx"))
    messages = [error.contract_line() for error in plan.errors]
    columns = {name: DECLARED_FIGURES.header(name) for name in ("period", "value", "owner")}
    assert any(m.startswith(f"row 3, column {columns['period']}") for m in messages), messages
    assert any(m.startswith(f"row 3, column {columns['value']}") for m in messages), messages
    assert any(m.startswith(f"row 4, column {columns['owner']}") for m in messages), messages  # out of scope
    assert DeclaredFigure.objects.count() == 0


@pytest.mark.django_db
def test_valid_file_creates_then_updates_by_natural_key(world):
    rows = [HEADER, ["da-nang", "outgoing_delegations", "2013", "exact", 164, "Báo cáo 2013"]]
    importer = Importer(DECLARED_FIGURES, world.province_editor)
    plan = importer.plan(*read_table(_xlsx(rows), "xlsx"))
    assert importer.commit(plan) == (1, 0)
    rows[1][4] = 165
    plan = importer.plan(*read_table(_xlsx(rows), "xlsx"))
    assert importer.commit(plan) == (0, 1)
    figure = DeclaredFigure.objects.get()
    assert figure.value == Decimal(165)
    assert figure.history.count() == 2


@pytest.mark.django_db
def test_commands_round_trip_and_fail_loudly(world, tmp_path):
    DeclaredFigureFactory(
        owner=world.quangnam,
        period="2012",
        value=Decimal(189),
        source_document="Báo cáo 2013",
        quote="=HYPERLINK(1)",
    )
    out = tmp_path / "figures.csv"
    call_command(
        "export_records",
        "declared-figures",
        "--unit",
        "quang nam",
        "--format",
        "csv",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "quang-nam-legacy" in text
    assert "'=HYPERLINK" in text  # formula injection neutralised
    bad = tmp_path / "bad.csv"
    bad.write_bytes(write_csv(HEADER, [["da-nang", "outgoing_delegations", "2013", "exact", "x", "B"]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", "declared-figures", str(bad), stderr=err)
    assert "row 2, column" in err.getvalue()
    good = tmp_path / "good.csv"
    good.write_bytes(write_csv(HEADER, [["da-nang", "outgoing_delegations", "2013", "exact", "164", "B"]]))
    call_command("import_records", "declared-figures", str(good), "--dry-run", stdout=io.StringIO())
    assert DeclaredFigure.objects.filter(owner=world.danang).count() == 0
    call_command("import_records", "declared-figures", str(good), stdout=io.StringIO())
    assert DeclaredFigure.objects.filter(owner=world.danang).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02", b"PK\x03\x04broken", b"owner,indicator\n\x00,\x00", b"\xff\xfe\xfa"],
)
def test_broken_files_are_clear_errors(world, content):
    from django.core.exceptions import ValidationError

    for kind in ("xlsx", "csv"):
        try:
            headers, rows = read_table(content, kind)
        except ValidationError:
            continue
        plan = Importer(DECLARED_FIGURES, world.province_editor).plan(headers, rows)
        assert not plan.ok


@pytest.mark.django_db
def test_api_token_authenticates(world):
    from rest_framework.test import APIClient

    out = io.StringIO()
    call_command("create_api_token", "viewer", stdout=out)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    assert api.get("/api/v1/declared-figures/").status_code == 200


@pytest.mark.django_db
def test_a_key_repeated_in_one_file_names_both_rows_and_writes_nothing(world):
    row = ["da-nang", "outgoing_delegations", "2013", "exact", 164, "Báo cáo 2013"]
    importer = Importer(DECLARED_FIGURES, world.province_editor)
    plan = importer.plan(*read_table(_xlsx([HEADER, row, [*row[:4], 165, row[5]]]), "xlsx"))
    assert [error.contract_line() for error in plan.errors] == [
        f"row 3, column {', '.join(map(DECLARED_FIGURES.header, DECLARED_FIGURES.natural_key))}: "
        + translation.gettext("repeats row %(row)s of this file") % {"row": 2}
    ]
    assert DeclaredFigure.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_name_in_an_id_column_and_another_provinces_id_are_row_errors(world):
    """An interaction names its relationship by id or by its name on the list: an unknown name is a clear error,
    and another province's id reads as an unknown one (the import does not tell that it exists)."""
    from partners.registries import INTERACTIONS
    from partners.testing.factories import RelationshipFactory

    theirs = RelationshipFactory(owner=world.danang)
    header = [INTERACTIONS.header(name) for name in ("relationship", "on", "precision", "kind", "summary")]
    rows = [
        header,
        ["abc", "01/06/2013", "day", "visit_in", "Đoàn vào"],
        [str(theirs.pk), "01/06/2013", "day", "visit_in", "Đoàn vào"],
        ["999999", "01/06/2013", "day", "visit_in", "Đoàn vào"],
    ]
    plan = Importer(INTERACTIONS, world.other_editor).plan(*read_table(_xlsx(rows), "xlsx"))
    column = INTERACTIONS.header("relationship")
    messages = [error.contract_line() for error in plan.errors]
    assert [message.split(":")[0] for message in messages] == [f"row {n}, column {column}" for n in (2, 3, 4)]
    assert messages[2] == messages[1].replace(f"“{theirs.pk}”", "“999999”").replace("row 3", "row 4")
    assert "“abc”" in messages[0] and str(theirs) not in messages[0]


@pytest.mark.django_db
def test_exports_carry_dates_and_numbers_typed_and_partial_dates_as_written(client, world):
    """Excel shows a date as dd/mm/yyyy and a number as 1.234.567 (typed cells); a date known only to the year
    stays "2013"; the CSV writes dates as the screen does (issue 18, item 4)."""
    import datetime as dt

    from openpyxl import load_workbook

    from agreements.testing.factories import AgreementFactory
    from core.testing.world import login

    AgreementFactory(owner=world.danang, title="Ngày đủ", signed_on=dt.date(2013, 4, 10))
    AgreementFactory(owner=world.danang, title="Chỉ biết năm", signed_on=dt.date(2013, 1, 1), signed_precision="year")
    DeclaredFigureFactory(owner=world.danang, value=Decimal(1234567))
    login(client, world.viewer)
    book = load_workbook(io.BytesIO(client.get("/agreements/", {"export": "xlsx"}).content))
    rows = list(book.active.iter_rows(values_only=False))
    column = [cell.value for cell in rows[0]].index(
        str(Agreement._meta.get_field("signed_on").verbose_name).capitalize()
    )
    by_title = {row[0].value: row[column] for row in rows[1:]}
    assert by_title["Ngày đủ"].value.date() == dt.date(2013, 4, 10)
    assert by_title["Ngày đủ"].number_format == "dd/mm/yyyy"
    assert by_title["Chỉ biết năm"].value == "2013"
    csv_text = client.get("/agreements/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "10/04/2013" in csv_text and "2013-04-10" not in csv_text
    book = load_workbook(io.BytesIO(client.get("/declared-figures/", {"export": "xlsx"}).content))
    values = [cell for row in book.active.iter_rows(min_row=2) for cell in row if cell.value == 1234567]
    assert values and values[0].number_format == "#,##0"
