"""Long forms show their errors at the top (issue 18, item 7: "long forms hide their errors: no summary at the top at
1366x768"): one alert above the form lists every error of the record and of its child rows, each row numbered as on
the page and each field linked to its input; a form without errors shows none."""

import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agreements.testing.factories import AgreementFactory
from agreements.testing.forms import edit_with_document
from core.forms import FormError, error_summary
from core.testing.world import PASSWORD, login
from partners.testing.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    found = re.search(r'<div class="alert alert-danger js-error-summary".*?</div>', html, re.DOTALL)
    assert found, "no error summary"
    return found.group(0)


def _links(summary: str) -> list[tuple[str, str]]:
    return [
        (anchor, re.sub(r"\s+", " ", text).strip())
        for anchor, text in re.findall(r'<a class="alert-link js-error-link" href="#([^"]+)">(.*?)</a>', summary)
    ]


def test_the_summary_lists_the_records_and_its_rows_errors_above_the_form(client, world):
    agreement = AgreementFactory(owner=world.danang)
    login(client, world.province_editor)
    data = edit_with_document(agreement) | {
        "title": "",
        "items-TOTAL_FORMS": "2",
        "items-0-activity": "Trao đổi đoàn",
        "items-0-status": "planned",
        "items-1-activity": "",
        "items-1-status": "planned",
        "items-1-deadline": "31/02/2014",
        "documents-0-title": "",
        "documents-0-file": SimpleUploadedFile("Dự thảo.txt", "Dự thảo thỏa thuận".encode(), content_type="text/plain"),
    }
    response = client.post(reverse("agreements:agreement_edit", args=[agreement.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = _summary(html)
    assert html.index("js-error-summary") < html.index('<form method="post" class="col-lg-8"'), (
        "above the form, read first"
    )
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "Có 4 lỗi cần sửa:" in summary
    links = _links(summary)
    assert [anchor for anchor, _text in links] == [
        "id_title",
        "id_items-1-activity",
        "id_items-1-deadline",
        "id_documents-0-title",
    ]
    assert links[0][1] == "Tên: Trường này là bắt buộc."
    assert links[1][1].startswith("Kế hoạch thực hiện, dòng 2: Hoạt động: ")
    assert links[3][1].startswith("Tài liệu, dòng 1: Tên: ")
    # Each error stays beside its field too, and the file chosen in the row is kept meanwhile.
    assert html.count("invalid-feedback d-block") == 4
    assert "Đã chọn tệp: <strong>Dự thảo.txt</strong>" in html


def test_a_form_without_errors_has_no_summary(client, world):
    agreement = AgreementFactory(owner=world.danang)
    login(client, world.province_editor)
    html = client.get(reverse("agreements:agreement_edit", args=[agreement.pk])).content.decode()
    assert "js-error-summary" not in html


def test_errors_of_the_whole_form_and_of_a_row_are_listed_without_a_link():
    class Row(forms.Form):
        name = forms.CharField(label="Tên")

        def clean(self):
            raise forms.ValidationError("Hàng này trùng với hàng trên.")

    class Whole(forms.Form):
        title = forms.CharField(label="Tiêu đề")
        version = forms.IntegerField(widget=forms.HiddenInput)

        def clean(self):
            raise forms.ValidationError("Người khác đã lưu bản ghi này.")

    rows = forms.formset_factory(Row, max_num=1, validate_max=True)(
        {"r-TOTAL_FORMS": "2", "r-INITIAL_FORMS": "2", "r-0-name": "Yongin", "r-1-name": ""}, prefix="r"
    )
    whole = Whole({"title": "", "version": "x"})
    with translation.override("en"):
        found = error_summary(whole, [("Spellings", rows)])
    assert found[0] == FormError("", "Người khác đã lưu bản ghi này.")
    assert found[1] == FormError("Tiêu đề", "This field is required.", "id_title")
    assert found[2] == FormError("Version", "Enter a whole number.", ""), "a hidden field has no input to go to"
    assert found[3] == FormError("Spellings", "Please submit at most 1 form.")
    assert found[4] == FormError("Spellings, row 1", "Hàng này trùng với hàng trên.")
    assert found[5:] == [
        FormError("Spellings, row 2", "Hàng này trùng với hàng trên."),
        FormError("Spellings, row 2: Tên", "This field is required.", "id_r-1-name"),
    ]


def test_pages_with_a_short_form_show_the_summary_too(client, world):
    partner = PartnerFactory(owner=world.danang)
    login(client, world.province_editor)
    response = client.post(reverse("partners:partner_merge", args=[partner.pk]), {})
    assert response.status_code == 400
    links = _links(_summary(response.content.decode()))
    assert [anchor for anchor, _text in links] == ["id_remove", "id_confirm"]

    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "province_editor", "password": PASSWORD + "x"})
    summary = _summary(response.content.decode())
    assert "Có 1 lỗi cần sửa:" in summary and not _links(summary), "a wrong password belongs to no one field"
