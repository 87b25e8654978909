"""Text folding, periods, audit chain, scope, indicators, search, units API, health."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from core.audit import audit, verify_chain
from core.models import AuditEntry, DeclaredFigure
from core.periods import Period, period_in_words
from core.scope import scope_for
from core.testing.factories import DeclaredFigureFactory
from core.text import fold, unify_tone_marks


def test_fold_ignores_diacritics_case_spaces_and_hyphens():
    assert fold("Quảng Nam") == fold("quang nam") == fold("QUANG-NAM") == "quangnam"
    assert fold("Đà Nẵng") == "danang"
    assert fold("Chămpasắc") == fold("Chăm pa sắc")


def test_old_and_new_tone_placement_are_unified():
    assert unify_tone_marks("Thuỷ Hoà") == "Thủy Hòa"


@given(st.text(max_size=200))
def test_fold_never_fails_and_is_ascii(text):
    assert fold(text).isascii()


@pytest.mark.parametrize(
    ("text", "label", "previous"),
    [
        ("2013", "2013", "2012"),
        ("2017-H1", "2017-H1", "2016-H2"),
        ("2017-h2", "2017-H2", "2017-H1"),
        ("2016/2020", "2016/2020", "2011/2015"),
        # The first year a user may ask for still has a year before it, in which nothing is found.
        ("1945", "1945", "1944"),
        ("1945-H1", "1945-H1", "1944-H2"),
    ],
)
def test_periods_parse_and_step_back(text, label, previous):
    period = Period.parse(text)
    assert period.label == label
    assert period.previous().label == previous
    if not previous.startswith("1944"):
        assert period.previous() == Period.parse(previous)


@pytest.mark.parametrize("text", ["", "13", "2013-H3", "2020/2016", "1800", "x" * 10_000, "2013\x00"])
def test_bad_periods_are_refused_with_a_message(text):
    with pytest.raises(ValidationError):
        Period.parse(text)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("2017-H1", "6 tháng đầu năm 2017"),
        ("2017-H2", "6 tháng cuối năm 2017"),
        ("2013", "năm 2013"),
        ("2016/2020", "giai đoạn 2016-2020"),
        # A stored label that is not a period is shown as it is rather than failing the page.
        ("2013-H3", "2013-H3"),
    ],
)
def test_a_period_is_shown_as_a_reader_writes_it(label, words):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        assert period_in_words(label) == words
        assert Template("{% load dates %}{{ label|period_in_words }}").render(Context({"label": label})) == words


@pytest.mark.django_db
def test_a_unit_that_no_longer_exists_is_named_with_cu_after_its_name(world):
    from core.filtersets import unit_label
    from core.testing.world import make_unit

    today = timezone.localdate()
    ended = make_unit("hoi-an-cu", "Hội An", "province", valid_to=today - dt.timedelta(days=1))
    ending = make_unit("hoi-an-moi", "Hội An", "province", valid_to=today)
    assert str(world.quangnam) == "Quảng Nam (cũ)" and str(world.danang) == "Đà Nẵng"
    # Its end recorded without the legacy flag: it has ended all the same.
    assert (str(ended), unit_label(ended)) == ("Hội An (cũ)", "Hội An (cũ)")
    assert str(ending) == "Hội An" and not ending.ended


@pytest.mark.django_db
def test_audit_chain_detects_a_tampered_entry(world):
    for index in range(5):
        audit("verb", verb=f"test_{index}", detail={"n": index})
    assert verify_chain().ok
    entry = AuditEntry.objects.order_by("id")[2]
    AuditEntry.objects.filter(pk=entry.pk).update(detail={"n": 999})  # tampering bypasses save()
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == entry.pk
    with pytest.raises(SystemExit):
        call_command("verify_audit")


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(world):
    entry = audit("verb", verb="x")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


@pytest.mark.django_db
def test_successor_scope_includes_predecessor_records(world):
    scope = scope_for(world.province_editor, "change")
    assert scope.covers(world.quangnam) and scope.covers(world.quangnam_district)
    assert not scope.covers(world.bacninh)
    assert scope_for(world.unit_editor, "change").covers(world.danang_dept)
    assert not scope_for(world.unit_editor, "change").covers(world.danang)


@pytest.mark.django_db
def test_failed_login_is_audited_without_the_password(client, world):
    client.post(reverse("accounts:login"), {"username": "viewer", "password": "wrong-secret-xyz"})
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.username == "viewer"
    assert "wrong-secret-xyz" not in entry.payload()


@pytest.mark.django_db
def test_indicator_value_uses_declared_figures_and_the_previous_period(world):
    for period, value in (("2012", 189), ("2013", 164)):
        DeclaredFigureFactory(
            owner=world.quangnam,
            period=period,
            value=Decimal(value),
            source_document="Báo cáo tổng kết 2013",
        )
    api = APIClient()
    api.force_authenticate(world.viewer)
    url = reverse("indicator-value", kwargs={"code": "outgoing_delegations"})
    body = api.get(url, {"unit": "quang nam", "period": "2013"}).json()
    assert body["source"] == "declared"
    assert Decimal(body["value"]) == 164
    assert Decimal(body["previous"]["value"]) == 189
    assert Decimal(body["change"]) == -25
    assert api.get(url, {"unit": "quang nam", "period": "20x3"}).status_code == 400
    assert api.get(url, {"unit": "nowhere", "period": "2013"}).status_code == 400
    assert api.get(reverse("indicator-value", kwargs={"code": "nope"}), {"unit": "da-nang"}).status_code == 404


@pytest.mark.django_db
def test_indicator_catalogue_has_the_contract_codes(world):
    api = APIClient()
    api.force_authenticate(world.viewer)
    codes = {row["code"] for row in api.get(reverse("indicator-list")).json()}
    assert {"outgoing_delegations", "agreements_signed", "ngo_aid_value_vnd", "awards_received"} <= codes


@pytest.mark.django_db
def test_search_finds_legacy_unit_and_its_successor(client, world):
    client.force_login(world.viewer)
    response = client.get(reverse("core:search"), {"q": "quang nam"})
    found = [row for _label, rows, _total in response.context["groups"] for row in rows]
    assert world.quangnam in found and world.danang in found


@pytest.mark.django_db
def test_units_api_lists_current_provinces_and_legacy_on_request(world):
    api = APIClient()
    api.force_authenticate(world.viewer)
    current = api.get("/api/v1/units/", {"level": "province"}).json()["results"]
    assert {row["key"] for row in current} == {"da-nang", "bac-ninh"}
    everything = api.get("/api/v1/units/", {"level": "province", "include_legacy": "true"}).json()["results"]
    legacy = next(row for row in everything if row["key"] == "quang-nam-legacy")
    assert legacy["successors"] == ["da-nang"]


@pytest.mark.django_db
def test_unit_page_shows_successors_and_predecessors(client, world):
    client.force_login(world.viewer)
    assert "Đà Nẵng" in client.get(reverse("core:unit", kwargs={"key": "quang-nam-legacy"})).content.decode()
    assert "Quảng Nam" in client.get(reverse("core:unit", kwargs={"key": "da-nang"})).content.decode()


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_disk(client):
    body = client.get("/healthz").json()
    assert body["checks"]["database"] == "ok"
    assert {"broker", "disk"} <= set(body["checks"])


@pytest.mark.django_db
def test_schema_is_valid_openapi_and_docs_are_local(client, world):
    client.force_login(world.viewer)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()


@pytest.mark.django_db
def test_dates_read_and_print_day_first(world):
    from django import forms
    from django.utils import formats, translation

    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = DateForm({"day": "01/02/2026"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == dt.date(2026, 2, 1)
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"


@pytest.mark.django_db
def test_province_editor_adds_an_organisation_under_its_province_only(client, world):
    from core.models import Unit
    from core.testing.world import login

    login(client, world.province_editor)
    data = {"key": "da-nang.so-ngoai-vu", "name": "Sở Ngoại vụ", "kind": "department", "version": 1}
    assert client.post(reverse("core:unit_add"), {**data, "parent": world.danang.pk}).status_code == 302
    assert Unit.objects.get(key="da-nang.so-ngoai-vu").root == world.danang
    elsewhere = {**data, "key": "bac-ninh.x", "parent": world.bacninh.pk}
    assert client.post(reverse("core:unit_add"), elsewhere).status_code in {400, 403}
    province = {**data, "key": "new-province", "kind": "province", "parent": ""}
    assert client.post(reverse("core:unit_add"), province).status_code == 403
    assert not Unit.objects.filter(key__in=["bac-ninh.x", "new-province"]).exists()


@pytest.mark.django_db
def test_figures_page_shows_values_changes_and_disagreeing_sources(client, world):
    from core.testing.world import login

    for period, value, source in (("2012", 189, "A"), ("2013", 164, "A"), ("2013", 160, "B")):
        DeclaredFigureFactory(
            owner=world.quangnam,
            period=period,
            value=Decimal(value),
            source_document=source,
        )
    login(client, world.viewer)
    response = client.get(reverse("core:figures"), {"unit": "quang nam", "period": "2013"})
    row = next(r for r in response.context["rows"] if r["indicator"] == "outgoing_delegations")
    assert (row["value"], row["previous"]["value"], row["change"]) == (164, 189, -25)
    assert row["difference_from_declared"] == 4
    assert "table-warning" in response.content.decode()
    bad = client.get(reverse("core:figures"), {"unit": "bac ninh", "period": "2013-H9"})
    assert len(bad.context["errors"]) == 2


def test_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert text.startswith("openapi: 3") and "/api/v1/declared-figures/" in text


@pytest.mark.django_db
def test_synthetic_data_is_deterministic_by_seed():
    from core.synthetic import generate

    def snapshot():
        return list(
            DeclaredFigure.objects.order_by("owner__key", "indicator", "period").values_list(
                "owner__key", "indicator", "period", "value"
            )
        )

    generate(scale="province", years=3, seed=7, log=lambda line: None)
    first = snapshot()
    DeclaredFigure.objects.all().delete()
    generate(scale="province", years=3, seed=7, log=lambda line: None)
    assert snapshot() == first and len(first) > 10
    DeclaredFigure.objects.all().delete()
    generate(scale="province", years=3, seed=8, log=lambda line: None)
    assert snapshot() != first


@pytest.mark.django_db
def test_detail_page_lists_other_documents_stating_the_same_figure(client, world):
    from core.testing.world import login

    one = DeclaredFigureFactory(owner=world.quangnam, period="2013", value=Decimal(3), source_document="Báo cáo TTQT")
    DeclaredFigureFactory(owner=world.quangnam, period="2013", value=Decimal(2), source_document="Báo cáo tổng kết")
    DeclaredFigureFactory(owner=world.bacninh, period="2013", value=Decimal(9), source_document="Bắc Ninh")
    login(client, world.viewer)
    response = client.get(reverse("core:declaredfigure", kwargs={"pk": one.pk}))
    ((_title, rows),) = response.context["related"]
    assert [row.source_document for row in rows] == ["Báo cáo tổng kết"]


@pytest.mark.django_db
def test_api_root_lists_the_resources(world):
    api = APIClient()
    api.force_authenticate(world.viewer)
    root = api.get("/api/v1/").json()
    assert {"units", "countries", "foreign-subdivisions", "fields", "declared-figures", "indicators", "jobs"} <= set(
        root
    )


@pytest.mark.django_db
def test_unit_page_counts_the_portfolio_including_predecessors(client, world):
    from core.testing.world import login

    DeclaredFigureFactory(owner=world.danang)
    DeclaredFigureFactory(owner=world.quangnam_district)
    DeclaredFigureFactory(owner=world.bacninh)
    login(client, world.viewer)
    portfolio = client.get(reverse("core:unit", kwargs={"key": "da-nang"})).context["portfolio"]
    assert [count for record_type, count in portfolio if record_type.slug == "declared-figures"] == [2]


@pytest.mark.django_db
def test_healthz_checks_the_real_broker_when_jobs_are_not_eager(client, settings):
    import os

    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running here (.ci/run starts it)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert client.get("/healthz").json()["checks"]["broker"] == "ok"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json()["checks"]["broker"].startswith("error")


def test_a_message_that_names_its_field_is_not_prefixed_twice():
    from core.text import after_label

    assert after_label("Cấp: chỉ đoàn vào mới ghi cấp đoàn.", "Cấp") == "chỉ đoàn vào mới ghi cấp đoàn."
    assert after_label("Số phóng viên: 2, nhưng danh sách có 3 tên.", "số phóng viên") == "2, nhưng danh sách có 3 tên."
    assert after_label("Không hợp lệ.", "Cấp") == "Không hợp lệ."
    assert after_label("Cấp:", "Cấp") == "Cấp:"
    # Another field whose name begins with the label's words is not cut.
    assert after_label("Cấp cho phép: không rõ.", "Cấp") == "Cấp cho phép: không rõ."
