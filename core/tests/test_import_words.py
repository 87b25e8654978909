"""Imports in the words of the screens (issue 18, item 6): labels and names as the screens write them, with or
without diacritics; errors that say what is allowed; the list's own export imported back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from agreements.registries import AGREEMENTS
from core.models import Unit
from core.records import Importer
from core.tabular import read_table, write_csv
from core.testing.imports import upload, xlsx_file
from core.testing.world import login, make_unit
from partners.models import Partner, PartnerAlias
from partners.registries import PARTNERS, RELATIONSHIPS
from partners.testing.factories import PartnerFactory, country

pytestmark = pytest.mark.django_db


def _plan(record_type, user, rows):
    """The plan of a file whose first row is headers, as the import page reads it."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return Importer(record_type, user).plan(*read_table(buffer.getvalue(), "xlsx"))


def _errors(plan) -> list[str]:
    return [str(error) for error in plan.errors]


PARTNER_HEADER = ["Đơn vị quản lý", "Loại", "Cấp", "Tên tiếng Việt", "Quốc gia"]


def test_units_are_read_by_the_name_the_screens_write_with_or_without_diacritics(world):
    country()
    rows = [
        PARTNER_HEADER,
        ["da nang", "Địa phương nước ngoài", "Thành phố", "Yongin", "KR"],
        ["ĐÀ NẴNG", "dia phuong nuoc ngoai", "thanh pho", "Suwon", "KR"],
        ["Quảng Nam (cũ)", "Địa phương nước ngoài", "Thành phố", "Osan", "KR"],
        ["quang nam", "Địa phương nước ngoài", "tinh, bang, vung hoac tuong duong", "Pohang", "KR"],
        ["quang-nam-legacy", "locality", "city", "Gimhae", "KR"],
    ]
    plan = _plan(PARTNERS, world.province_editor, rows)
    assert plan.ok, _errors(plan)
    owners = [form.cleaned_data["owner"] for _row, form in plan.creates]
    assert owners == [world.danang, world.danang, world.quangnam, world.quangnam, world.quangnam]
    assert [form.cleaned_data["kind"] for _row, form in plan.creates] == ["locality"] * 5


def test_a_name_shared_by_two_units_is_refused_naming_both(world):
    make_unit("da-nang.hai-chau", "Phường Hải Châu", "commune", parent=world.danang)
    make_unit("da-nang.hai-chau-2", "Phường Hải Châu", "commune", parent=world.danang)
    plan = _plan(PARTNERS, world.province_editor, [PARTNER_HEADER, ["phuong hai chau", "locality", "", "Yongin", ""]])
    assert _errors(plan) == [
        "dòng 2, cột Đơn vị quản lý: “phuong hai chau” trùng tên với nhiều đơn vị: Phường Hải Châu (mã khóa: "
        "da-nang.hai-chau); Phường Hải Châu (mã khóa: da-nang.hai-chau-2). Vui lòng ghi mã khóa để chỉ rõ."
    ]
    assert not Partner.objects.exists()


def test_an_unknown_unit_among_many_gives_the_closest_names_and_where_the_list_is(world):
    for number in range(40):
        make_unit(f"da-nang.xa-{number}", f"Xã Hòa Tiến {number}", "commune", parent=world.danang)
    plan = _plan(PARTNERS, world.province_editor, [PARTNER_HEADER, ["Da Nangg", "locality", "", "Yongin", ""]])
    [message] = _errors(plan)
    assert message.startswith("dòng 2, cột Đơn vị quản lý: “Da Nangg” không có trong danh sách đơn vị bạn được chọn.")
    assert "Các tên gần giống nhất: Đà Nẵng" in message
    assert "trang tính “Giá trị được phép” của tệp mẫu và trên trang “Đơn vị”" in message
    # Another province's unit is not offered, even as the closest name.
    plan = _plan(PARTNERS, world.province_editor, [PARTNER_HEADER, ["Bac Ninh", "locality", "", "Yongin", ""]])
    assert "Bắc Ninh" not in _errors(plan)[0]


def test_a_short_list_is_written_out_whole(world):
    plan = _plan(PARTNERS, world.province_editor, [PARTNER_HEADER, ["Hà Nội", "locality", "", "Yongin", ""]])
    [message] = _errors(plan)
    allowed = sorted(str(unit) for unit in Unit.objects.filter(pk__in=[u.pk for u in _own_units(world)]))
    assert message == (
        f"dòng 2, cột Đơn vị quản lý: “Hà Nội” không có trong danh sách đơn vị bạn được chọn: {'; '.join(allowed)}."
    )


def _own_units(world):
    from core.forms import units_user_may_own

    return list(units_user_may_own(world.province_editor))


def test_partners_are_read_by_any_spelling_and_a_shared_name_is_refused(world):
    yongin = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="Yongin City", key="kr-yongin")
    PartnerAlias.objects.create(partner=yongin, name="Long Nhân")
    for key in ("kr-gwangju", "kr-gwangju-gyeonggi"):
        PartnerFactory(owner=world.danang, name_vi="Thành phố Gwangju", name_en="", key=key)
    header = ["Đơn vị quản lý", "Đối tác", "Loại", "Trạng thái"]
    rows = [header] + [["Đà Nẵng", spelling, "Hợp tác", "Tìm hiểu"] for spelling in ("yongin", "long nhan")]
    plan = _plan(RELATIONSHIPS, world.province_editor, rows[:2])
    assert plan.ok, _errors(plan)
    assert plan.creates[0][1].cleaned_data["partner"] == yongin
    # The second row names the same relationship (unit, partner, kind) by another spelling: one file, one record.
    plan = _plan(RELATIONSHIPS, world.province_editor, rows)
    assert _errors(plan) == ["dòng 3, cột Đơn vị quản lý, đối tác, loại: trùng với dòng 2 của tệp này"]
    plan = _plan(RELATIONSHIPS, world.province_editor, [header, ["Đà Nẵng", "thanh pho gwangju", "Hợp tác", ""]])
    [message] = _errors(plan)
    assert "trùng tên với nhiều đối tác nước ngoài" in message
    assert "(mã khóa: kr-gwangju)" in message and "(mã khóa: kr-gwangju-gyeonggi)" in message


def test_a_misspelt_partner_is_not_guessed_but_offered(world):
    PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="Yongin City", key="kr-yongin")
    header = ["Đơn vị quản lý", "Đối tác", "Loại", "Trạng thái"]
    plan = _plan(RELATIONSHIPS, world.province_editor, [header, ["Đà Nẵng", "Yongni", "Hợp tác", "Tìm hiểu"]])
    [message] = _errors(plan)
    assert "“Yongni” không có trong danh sách đối tác nước ngoài bạn được chọn" in message
    assert "Thành phố Yongin" in message


def test_countries_by_iso_code_or_name_in_either_language(world):
    korea = country("KR", "Hàn Quốc", "South Korea")
    rows = [PARTNER_HEADER] + [
        ["Đà Nẵng", "locality", "city", f"Thành phố {n}", written]
        for n, written in enumerate(("KR", "kr", "Hàn Quốc", "han quoc", "South Korea"))
    ]
    plan = _plan(PARTNERS, world.province_editor, rows)
    assert plan.ok, _errors(plan)
    assert {form.cleaned_data["country"] for _row, form in plan.creates} == {korea}


def test_headers_and_labels_in_english_are_read_too(world):
    with translation.override("en"):
        header = [PARTNERS.header(name).capitalize() for name in ("owner", "kind", "level", "name_vi")]
    country()
    header.append("Country")
    rows = [header, ["da nang", "Foreign locality", "City", "Yongin", "south korea"]]
    plan = _plan(PARTNERS, world.province_editor, rows)
    assert plan.ok, _errors(plan)
    assert (plan.creates[0][1].cleaned_data["kind"], plan.creates[0][1].cleaned_data["level"]) == ("locality", "city")


def test_yes_and_no_in_words_and_an_unknown_answer_lists_both(world):
    header = [*PARTNER_HEADER, "Nhóm không nêu tên"]
    rows = [header] + [
        ["Đà Nẵng", "international_organisation", "", f"Nhóm {n}", "", answer]
        for n, answer in enumerate(("Có", "khong", "x", ""))
    ]
    plan = _plan(PARTNERS, world.province_editor, rows)
    assert plan.ok, _errors(plan)
    assert [form.cleaned_data["is_group"] for _row, form in plan.creates] == [True, False, True, False]
    rows = [header, ["Đà Nẵng", "international_organisation", "", "Nhóm", "", "có lẽ"]]
    plan = _plan(PARTNERS, world.province_editor, rows)
    assert _errors(plan) == [
        "dòng 2, cột Nhóm không nêu tên: “có lẽ” không phải là giá trị được phép. Các giá trị được phép: Có; Không."
    ]


def test_several_partners_in_one_cell_as_written_or_as_the_list_joins_them(world):
    first = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="", key="kr-yongin")
    second = PartnerFactory(owner=world.danang, name_vi="Thành phố Suwon", name_en="", key="kr-suwon")
    header = ["Đơn vị quản lý", "Tên", "Loại", "Cấp ký kết", "Bên ký kết nước ngoài"]
    rows = [
        header,
        ["Đà Nẵng", "Thỏa thuận một", "Thỏa thuận", "Ủy ban nhân dân cấp tỉnh", "yongin; suwon"],
        ["Đà Nẵng", "Thỏa thuận hai", "Thỏa thuận", "Ủy ban nhân dân cấp tỉnh", "Thành phố Yongin, Thành phố Suwon"],
    ]
    plan = _plan(AGREEMENTS, world.province_editor, rows)
    assert plan.ok, _errors(plan)
    assert [set(form.cleaned_data["partners"]) for _row, form in plan.creates] == [{first, second}] * 2


def test_an_unknown_column_lists_the_columns_read_and_a_list_only_column_is_left_aside(world):
    plan = _plan(
        PARTNERS,
        world.province_editor,
        [[*PARTNER_HEADER, "Tên đối tác"], ["Đà Nẵng", "international_organisation", "", "A", "", "x"]],
    )
    [message] = _errors(plan)
    assert message.startswith(
        "dòng 1, cột Tên đối tác: cột không xác định; các cột được đọc là: ID, Đơn vị quản lý, Loại"
    )
    # "Tên" is the list's column of a partner's name in the reader's language: shown, never written by an import.
    plan = _plan(
        PARTNERS,
        world.province_editor,
        [[*PARTNER_HEADER, "Tên"], ["Đà Nẵng", "international_organisation", "", "A", "", "B"]],
    )
    assert plan.ok, _errors(plan)
    assert plan.ignored == ["Tên"]


def test_the_apostrophe_an_export_puts_before_a_formula_is_taken_off():
    values = ["'-Sê Koong", "'=1+1", "'+84 236 3822 000", "'@Yongin", "'Tây Giang", "-Sê Koong"]
    read = ["-Sê Koong", "=1+1", "+84 236 3822 000", "@Yongin", "'Tây Giang", "-Sê Koong"]
    assert read_table(write_csv(["Cách viết"] * 6, [values]), "csv")[1] == [read]
    book = Workbook()
    book.active.append(["Cách viết"] * 6)
    book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table(buffer.getvalue(), "xlsx")[1] == [read]


def test_an_edited_export_updates_only_the_rows_changed(client, world):
    mine = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", kind="locality")
    other = PartnerFactory(owner=world.danang, name_vi="Thành phố Suwon", kind="locality")
    theirs = PartnerFactory(owner=world.bacninh, name_vi="Thành phố Pohang")
    login(client, world.province_editor)
    book = load_workbook(io.BytesIO(client.get("/partners/", {"export": "xlsx"}).content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    rows = {row[headers.index("ID")].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {str(mine.pk), str(other.pk), str(theirs.pk)}, "the shared catalogue is exported whole"
    rows[str(mine.pk)][headers.index("Cấp")].value = "huyen hoac hat"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, "/partners/import/", SimpleUploadedFile("doi-tac.xlsx", buffer.getvalue()))
    plan = response.context["plan"]
    assert plan.ok, _errors(plan)
    assert ([form.instance.pk for _row, form in plan.updates], len(plan.unchanged)) == ([mine.pk], 2)
    assert plan.ignored == ["Tên"]
    assert "Các cột không được đọc" in response.content.decode()
    # Another province's partner may come back unchanged, not changed.
    rows[str(theirs.pk)][headers.index("Tên tiếng Anh")].value = "Pohang City"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, "/partners/import/", SimpleUploadedFile("doi-tac.xlsx", buffer.getvalue()))
    assert [error.row for error in response.context["plan"].errors] == [rows[str(theirs.pk)][0].row]
    assert "nằm ngoài phạm vi bạn được thay đổi" in response.content.decode()


def test_the_template_sent_back_empty_is_refused_for_having_no_rows(client, world):
    login(client, world.province_editor)
    template = client.get("/partners/import/template/").content
    response = upload(client, "/partners/import/", SimpleUploadedFile("mau.xlsx", template))
    assert [str(error) for error in response.context["plan"].errors] == [
        "dòng 2, cột *: tệp không có dòng dữ liệu nào dưới dòng tiêu đề"
    ]


def test_the_template_offers_only_the_users_own_choices(client, world):
    login(client, world.province_editor)
    book = load_workbook(io.BytesIO(client.get("/relationships/import/template/").content))
    values = book.worksheets[1]
    owners = [cell.value for cell in values["A"][1:]]
    assert values["A1"].value == "Đơn vị quản lý"
    assert "Đà Nẵng" in owners and "Quảng Nam (cũ)" in owners
    assert "Bắc Ninh" not in owners, "another province's units are not offered"
    login(client, world.nobody)
    assert client.get("/relationships/import/template/").status_code == 403


def test_a_record_named_twice_is_refused_and_a_row_as_stored_changes_nothing(client, world):
    login(client, world.province_editor)
    mine = PartnerFactory(owner=world.danang, key="kr-yongin")
    rows = [["ID", "Ghi chú"], [str(mine.pk), mine.notes], [str(mine.pk), "Ghi chú mới"]]
    response = upload(client, "/partners/import/", xlsx_file(rows))
    assert _errors(response.context["plan"]) == ["dòng 3, cột ID: trùng với dòng 2 của tệp này"]
    response = upload(client, "/partners/import/", xlsx_file(rows[:2]))
    assert "0 bản ghi, cập nhật 0 bản ghi; 1 dòng không có thay đổi" in response.content.decode()
