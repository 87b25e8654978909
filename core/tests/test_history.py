"""A record's history reads as words: the reason of each version and its changes, never internal codes
(issue 18, item 8); the record's page writes its moments and its activity log as people read them."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from accounts.models import User
from core.history import EXCERPT
from core.models import DeclaredFigure
from core.services import record_update
from core.testing.factories import DeclaredFigureFactory
from core.testing.world import login
from partners.models import Relationship
from partners.testing.factories import RelationshipFactory
from reports.testing.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_the_history_names_fields_values_and_reasons_as_the_page_does(client, world):
    relationship = RelationshipFactory(owner=world.danang, kind="friendship_cooperation")
    relationship.kind = "twinning"
    record_update(instance=relationship, user=world.province_editor, expected_version=relationship.version)
    login(client, world.viewer)
    page = client.get(relationship.get_absolute_url()).content.decode()
    history = page[page.index('class="list-group history-diff') :]
    kind = Relationship._meta.get_field("kind")
    labels = dict(kind.flatchoices)
    before, after = labels["friendship_cooperation"], labels["twinning"]
    assert f"{str(kind.verbose_name).capitalize()}: <del>{before}</del> → {after}" in history
    assert "· Chỉnh sửa" in history  # the reason in words, not "update" nor simple_history's "Changed"
    assert "twinning" not in history and "update" not in history and "Changed" not in history


def test_a_report_s_sections_are_named_by_their_titles_with_the_start_of_their_text(client, world):
    """A field of several texts (a report's sections, a JSON object by key): each text that changed is named as the
    regime's outline titles it, with the start of its text before and after, never "Các mục: — → …" four times."""
    report = ReportFactory(owner=world.danang, sections={"results": "Cho phép 3 đoàn ra.", "assessment": ""})
    long_text = "Nhìn chung, công tác đối ngoại của thành phố đạt nhiều kết quả " + "rất tích cực, " * 10
    report.sections = {"results": "Cho phép 4 đoàn ra.", "assessment": long_text}
    record_update(instance=report, user=world.province_editor, expected_version=report.version)
    login(client, world.province_editor)
    page = client.get(report.get_absolute_url()).content.decode()
    history = page[page.index('class="list-group history-diff') :]
    lines = [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in re.findall(r"<li>(.*?)</li>", history, re.S)]
    assert "Các mục “Kết quả công tác đối ngoại”: Cho phép 3 đoàn ra. → Cho phép 4 đoàn ra." in lines
    (assessment,) = [line for line in lines if line.startswith("Các mục “Đánh giá”: — → ")]
    after = assessment.removeprefix("Các mục “Đánh giá”: — → ")
    assert after.endswith("…") and len(after) == EXCERPT and long_text.startswith(after[:-1])
    # A key no outline names is shown as it is; a record type without names answers its keys.
    assert report.history_key_label("sections", "no_such_section") == "no_such_section"
    assert RelationshipFactory(owner=world.danang).history_key_label("anything", "key") == "key"


def test_the_record_page_writes_its_moments_day_first_in_local_time_and_its_saves_in_words(client, world):
    figure = DeclaredFigureFactory(owner=world.danang, period="2017-H1", value=Decimal(5))
    moment = dt.datetime(2026, 12, 4, 9, 29, 10, 995058, tzinfo=dt.UTC)
    DeclaredFigure.objects.filter(pk=figure.pk).update(created_at=moment)
    login(client, world.viewer)
    page = client.get(figure.get_absolute_url()).content.decode()
    fields = {
        " ".join(re.sub(r"<[^>]+>", "", label).split()): " ".join(re.sub(r"<[^>]+>", "", value).split())
        for label, value in re.findall(r'<tr><th class="w-25">(.*?)</th><td>(.*?)</td></tr>', page, re.S)
    }
    # 09:29 in UTC is 16:29 in Hà Nội, written as every other page writes a moment.
    assert fields["Thời điểm tạo"] == "04/12/2026 16:29"
    assert "+00:00" not in page and "2026-12-04" not in page and ".995058" not in page
    # The number of saves is a badge in words, not a line "Phiên bản" of the record.
    assert "Phiên bản" not in fields and re.search(r'id="record-version">\s*đã lưu 1 lần\s*<', page)


def test_the_activity_log_names_each_user_by_full_name_with_the_login_as_its_title(client, world):
    User.objects.filter(pk=world.province_editor.pk).update(full_name="Nguyễn Văn An")
    world.province_editor.refresh_from_db()
    relationship = RelationshipFactory(owner=world.danang, kind="friendship_cooperation")
    relationship.kind = "twinning"
    record_update(instance=relationship, user=world.province_editor, expected_version=relationship.version)
    login(client, world.viewer)
    page = client.get(relationship.get_absolute_url()).content.decode()
    log = page.split("Nhật ký hoạt động")[1]
    assert '<span class="audit-user" title="province_editor">Nguyễn Văn An</span>' in log
    assert ">province_editor<" not in log
