"""The rows of every list are written by core.tables.rows_html (issue 17, item 13): the same cells as
django-tables2's own table template, for every record type and for columns of every kind; and a list page's
queries do not grow with the number of rows it shows."""

import datetime as dt
import io
import re
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import get_template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2 import RequestConfig

from activities.testing.factories import (
    AwardFactory,
    ConferenceFactory,
    DelegationMemberFactory,
    DelegationRulesFactory,
    EventFactory,
    PressVisitFactory,
)
from agreements.testing.factories import AgreementReportFactory, ConsultationFactory
from core.models import Field
from core.records import record_types
from core.tables import RecordTable
from core.testing.world import login, make_unit
from partners.models import Partner
from partners.testing.factories import ContactFactory, InteractionFactory, PartnerFactory
from reports.choices import ReportStatus
from reports.testing.factories import ReportFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"


def _tbody(html: str) -> str:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body)).strip()


def _outside_tbody(html: str) -> str:
    head, rest = html.split("<tbody", 1)
    outside = re.sub(r"\s+", " ", head + rest.split("</tbody>", 1)[1]).strip()
    # The one intended difference: core's template labels the page links in the reader's language, where
    # django-tables2 writes "Table navigation" in English.
    return re.sub(r'<nav aria-label="[^"]*">', "<nav>", outside)


def _both(table_class, rows, user, **params) -> tuple[str, str]:
    """The table rendered by core's template (rows_html) and by django-tables2's, from the same rows."""
    rendered = []
    for template in ("core/table.html", DJANGO_TABLES2_TEMPLATE):
        request = RequestFactory().get("/", params)
        request.user = user
        table = table_class(rows, request=request)
        RequestConfig(request, paginate={"per_page": int(params.get("page_size", 25))}).configure(table)
        rendered.append(get_template(template).render({"table": table, "request": request}, request))
    return rendered[0], rendered[1]


@pytest.fixture
def records(world):
    """Reference data, the synthetic set of one province, and rows of the record types it leaves empty."""
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("generate_synthetic", scale="province", years=3, seed=1, stdout=io.StringIO())
    for index in range(30):
        ContactFactory(owner=world.danang, email="" if index % 3 else f"kim{index}@example.kr")
        InteractionFactory(owner=world.danang)
        ConsultationFactory(owner=world.danang, sent_on=dt.date(2013, 4, 1) + dt.timedelta(days=index))
        AgreementReportFactory(owner=world.danang)
        DelegationMemberFactory(owner=world.danang)  # a delegation with one member
        EventFactory(owner=world.danang)
        AwardFactory(owner=world.danang)
        ConferenceFactory(owner=world.danang)
        PressVisitFactory(owner=world.danang)
        # Rules are one set per unit: each of a department of its own.
        department = make_unit(f"da-nang.quy-dinh-{index}", f"Sở số {index}", "department", parent=world.danang)
        DelegationRulesFactory(owner=department)
        # The register: thirty regimes, each with a period and the row of a province.
        SubmissionFactory(owner=world.danang if index % 2 else world.quangnam)
        # Reports: each of a regime and period of its own; two in three sent, which the central bodies read.
        ReportFactory(
            owner=world.danang if index % 2 else world.quangnam,
            status=ReportStatus.SUBMITTED if index % 3 else ReportStatus.DRAFTING,
        )
    return world


def test_rows_are_written_as_django_tables2_writes_them_for_every_record_type(records):
    # Every row (a national reader): a page longer than the default, and a later page sorted the other way; a
    # province's rows with personal data masked (its viewer), on the later page only, where the national reader's
    # rows were written the same way. Another province's editor would render the same columns over fewer rows.
    later = {"page_size": 25, "page": 2, "sort": "-pk"}
    for user, pages in ((records.national_admin, ({"page_size": 40}, later)), (records.viewer, (later,))):
        for slug, record_type in record_types().items():
            rows = record_type.model._default_manager.restrict(user, "view")
            for params in pages:
                ours, theirs = _both(record_type.table_class, rows, user, **params)
                assert _tbody(ours) == _tbody(theirs), (slug, user, params)
                assert _outside_tbody(ours) == _outside_tbody(theirs), (slug, user, params)


class EveryKindOfColumnTable(RecordTable):
    """Columns of the kinds rows_html writes itself and of those it leaves to django-tables2."""

    parent_name = tables.Column(accessor="parent__name_vi")
    country_code = tables.Column(accessor="country__iso2", linkify=lambda record: f"/somewhere/{record.pk}/")
    country = tables.Column(linkify=True)
    fields = tables.ManyToManyColumn()
    website = tables.URLColumn()
    kind_twice = tables.TemplateColumn("{{ record.kind }}/{{ value }}", accessor="kind")
    created = tables.DateTimeColumn(accessor="created_at")
    made = tables.DateColumn(accessor="created_at", format="Y")
    level = tables.Column(attrs={"td": {"data-level": lambda value: value, "class": "small"}})
    population = tables.Column(localize=True)
    area_km2 = tables.Column(localize=False)
    is_group = tables.BooleanColumn()
    counter = tables.Column(accessor="pk", empty_values=(), orderable=False)
    unlinked = tables.Column(accessor="notes", linkify=lambda record: None, default="(none)")

    def render_counter(self, bound_row, value):
        return f"<{bound_row.row_counter}:{value}>"

    class Meta(RecordTable.Meta):
        model = Partner
        fields = ("selection", "name_vi", "kind")
        row_attrs = {"data-id": lambda record: record.pk}


class PlainTable(RecordTable):
    notes = tables.Column(attrs={"td": {"class": "text-truncate"}})
    strengths = tables.Column(default="—")

    class Meta(RecordTable.Meta):
        model = Partner
        fields = ("selection", "name_vi", "kind", "level", "parent", "notes", "strengths", "population")


def test_rows_are_written_as_django_tables2_writes_them_for_every_kind_of_column(world):
    for code in ("culture", "education", "trade"):
        Field.objects.create(code=code, name_vi=code, name_en=code)
    parent = PartnerFactory(owner=world.danang, name_vi="Tỉnh <Gyeonggi> & co")
    for index in range(6):
        partner = PartnerFactory(
            owner=world.danang,
            parent=parent if index % 2 else None,
            population=1234567 * index or None,
            area_km2=Decimal("1234.50") if index % 3 else None,
            website="https://example.kr/" if index % 2 else "",
            is_group=bool(index % 2),
            notes='"quoted" <b>' if index % 3 == 1 else "",
            level="province" if index % 2 else "city",
        )
        if index % 2:
            partner.fields.add(*Field.objects.all()[:2])
    rows = Partner.objects.restrict(world.national_admin, "view")
    for table_class in (EveryKindOfColumnTable, PlainTable):
        for params in ({}, {"sort": "-name_vi"}, {"page_size": 2, "page": 3}):
            ours, theirs = _both(table_class, rows, world.national_admin, **params)
            assert _tbody(ours) == _tbody(theirs), (table_class, params)
    empty = Partner.objects.none()
    ours, theirs = _both(PlainTable, empty, world.national_admin)
    assert _tbody(ours) == _tbody(theirs)


def test_a_list_page_reads_as_many_queries_for_100_rows_as_for_25(client, records):
    login(client, records.national_admin)
    for slug, record_type in record_types().items():
        url = reverse(f"{record_type.url_base}_list")
        counts = []
        client.get(url)  # sessions and caches warmed up
        for size in (25, 100):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"page_size": size})
            assert response.status_code == 200, (slug, response.status_code)
            counts.append(len(queries))
        assert record_type.model._default_manager.restrict(records.national_admin, "view").count() > 25, slug
        assert counts[0] == counts[1], (slug, counts)


def _filter_data(filterset_class, queryset, request) -> list[dict]:
    """Query strings for a FilterSet: none, and each field given a value (a choice, a text to escape, a number)."""
    fields = filterset_class(None, queryset=queryset, request=request).form.fields
    given = {}
    for name, field in fields.items():
        choices = [value for value, _label in getattr(field, "choices", ()) if value not in ("", None)]
        if choices:
            given[name] = str(choices[-1])
        elif "Number" in type(field.widget).__name__:
            given[name] = "2020"
        else:
            given[name] = "<Hà \"Nội\"> & 'co'"
    return [{}, given, dict.fromkeys(fields, "x")]


def test_filter_widgets_are_written_as_django_writes_them(world):
    from core.widgets import _writer, widget_html

    request = RequestFactory().get("/")
    request.user = world.national_admin
    written = set()
    for record_type in record_types().values():
        queryset = record_type.model._default_manager.restrict(world.national_admin, "view")
        for data in _filter_data(record_type.filterset_class, queryset, request):
            form = record_type.filterset_class(data or None, queryset=queryset, request=request).form
            form.is_valid()
            for bound_field in form:
                assert widget_html(bound_field) == bound_field.as_widget(), (record_type.slug, bound_field.name, data)
                if _writer(form.renderer, bound_field.field.widget.template_name):
                    written.add(type(bound_field.field.widget).__name__)
    # The plain widgets are written by core.widgets, not left to their templates.
    assert {"TextInput", "Select", "NumberInput", "YesNoWidget"} <= written, written


def test_a_period_not_written_as_the_reports_write_it_is_an_error_under_its_filter(client, world):
    login(client, world.viewer)
    html = client.get("/delegations/", {"started_in": "06/2013"}).content.decode()
    assert "“06/2013”" in html and "2017-H1" in html and 'placeholder="2013, 2017-H1"' in html
    api = client.get("/api/v1/delegations/", {"started_in": "06/2013"})
    assert api.status_code == 400 and "started_in" in api.json()
    assert client.get("/api/v1/delegations/", {"started_in": "2013"}).status_code == 200
