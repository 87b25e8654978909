"""Shared tests for every registry model. A model's test class declares only its data:

    class TestRelationship(RecordTests):
        record_type = RELATIONSHIPS
        factory = RelationshipFactory              # a saved record owned by a unit: factory(owner=unit)
        values = {"kind": "twinning", "status_since": dt.date(2014, 3, 1)}   # a new record's fields

        def links(self, world, owner):             # the saved records a new record points to
            return {"owner": owner, "partner": PartnerFactory(owner=world.danang)}

``links`` defaults to the owner; a record kept under a parent record instead (an interaction under a
relationship) declares ``parent = ("relationship", RelationshipFactory)``. The web form data and the
API payload are both written from ``values`` and ``links`` (the API's serializers take the form's
fields): the form names a record by its id and writes a date as dd/mm/yyyy; the API names a record
as a spreadsheet does (the record type's ``lookups``: a unit by its key) and writes a date in ISO
8601. A class overrides ``make``, ``form_data`` or ``api_data`` where its model departs from that.
The API resource is found under the router's default basename, the model's name in lower case; a
class whose resource is registered under another name sets ``api_basename``.

Each test walks one row of the permission story of DESIGN.md: anonymous, no role, permitted,
another province (404 on read, refused and rolled back on write), history written, version
conflicts, trash and restore, export, and a bound on SQL queries that does not grow with rows.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from operator import attrgetter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst
from rest_framework.test import APIClient

from core.models import AuditEntry
from core.testing.world import login as _login


def _encode(value, record: Callable, date: Callable):
    """A field's value as a client writes it: a saved record by ``record(it)``, a date by ``date(it)``."""
    if isinstance(value, list):
        return [_encode(item, record, date) for item in value]
    if isinstance(value, models.Model):
        return record(value)
    if isinstance(value, dt.date):
        return date(value)
    return value


class _RecordTypeTests:
    """What the generic tests of a record type know of it: its web pages and its API resource."""

    record_type = None

    @property
    def api_basename(self) -> str:
        return self.record_type.model._meta.model_name

    def url(self, suffix: str = "", **kwargs) -> str:
        name = f"{self.record_type.url_base}{suffix}"
        return reverse(name, kwargs=kwargs or None)

    def api_list_url(self) -> str:
        return reverse(f"{self.api_basename}-list")

    # Who imports this record type in the generic tests: the world's user of that name.
    importer = "province_editor"

    def test_the_import_template_speaks_the_screens_words(self, client, world):
        if not self.record_type.importable:
            pytest.skip("not importable")
        _login(client, world.viewer)
        assert client.get(self.url("_import_template")).status_code == 403, "only whoever may import"
        importer = getattr(world, self.importer)
        _login(client, importer)
        check_import_template(client.get(self.url("_import_template")), self.record_type, importer)

    def api_detail_url(self, pk) -> str:
        return reverse(f"{self.api_basename}-detail", kwargs={"pk": pk})


def filter_probes(filterset_class, record) -> list[tuple[str, str]]:
    """(filter, value) pairs likely to find ``record``: the record's own value of each filter's field, the unit of
    its owner, the years and periods of its dates, both answers of a yes/no filter, and words of its name."""
    import django_filters

    from core.filtersets import PeriodFilter, YearFilter

    years = sorted(
        {
            str(getattr(record, item.name).year)
            for item in record._meta.concrete_fields
            if isinstance(item, models.DateField) and getattr(record, item.name)
        }
        | {"2013"}
    )
    probes = []
    for name, item in filterset_class.base_filters.items():
        if name == "unit":
            probes += [(name, "da-nang"), (name, "quang nam")]
        elif name == "q":
            probes += [(name, word) for word in record.search_text.split()[:2]]
        elif isinstance(item, YearFilter | PeriodFilter):
            probes += [(name, year) for year in years]
        elif isinstance(item, django_filters.BooleanFilter):
            probes += [(name, "true"), (name, "false")]
        else:
            value = record
            for part in item.field_name.split("__"):
                value = getattr(value, part, None)
                if isinstance(value, models.Manager):
                    value = value.first()
            if isinstance(value, models.Model):
                value = getattr(value, "key", None) or getattr(value, "code", None) or value.pk
            if value not in (None, ""):
                probes.append((name, str(value)))
    return probes


@pytest.mark.django_db
class RecordTests(_RecordTypeTests):
    """Generic tests of a scoped registry (a RegistryModel with a RecordType)."""

    factory = None  # a factory-boy factory of the model that takes ``owner``
    # A record kept under a parent record (an interaction under a relationship) links a parent of the
    # owner instead of the owner: (the parent's field, a factory of the parent that takes ``owner``).
    parent: tuple[str, type] | None = None
    values: dict = {}  # the plain fields of a new record (a date as a date)
    # A shared catalogue (foreign partners): every user with a role reads every row; changes stay in scope.
    shared_reads: bool = False

    # -- declared or overridden by the model's test class -------------------------------------
    def private_record(self, world, shared):
        """For a shared catalogue: a record of Đà Nẵng's own about ``shared`` (a relationship with a partner)."""
        raise NotImplementedError(f"{type(self).__name__} reads a shared catalogue: declare private_record")

    def make(self, world, owner):
        """A saved record owned by ``owner``."""
        return self.factory(owner=owner)

    def make_read_nationally(self, world, owner):
        """A saved record of ``owner`` that the central bodies read: any record, unless the model's policy keeps some
        with their unit (a report being written, reports.policy)."""
        return self.make(world, owner)

    def links(self, world, owner) -> dict:
        """The saved records a new record of ``owner`` points to, by field (a list for a many-valued one)."""
        if self.parent is None:
            return {"owner": owner}
        field, factory = self.parent
        return {field: factory(owner=owner)}

    def form_data(self, world, owner) -> dict:
        """Valid web form data for a new record of ``owner``."""
        fields = {**self.values, **self.links(world, owner)}
        return {name: _encode(value, attrgetter("pk"), "{:%d/%m/%Y}".format) for name, value in fields.items()}

    def api_data(self, world, owner) -> dict:
        """A valid API payload for a new record of ``owner``."""
        fields = {**self.values, **self.links(world, owner)}
        lookups = self.record_type.lookups
        return {
            name: _encode(value, attrgetter(lookups.get(name, "pk")), dt.date.isoformat)
            for name, value in fields.items()
        }

    # -- web ---------------------------------------------------------------------------------
    def test_anonymous_is_sent_to_login(self, client, world):
        record = self.make(world, world.danang)
        for url in (self.url("_list"), self.url(pk=record.pk), self.url("_edit", pk=record.pk)):
            response = client.get(url)
            assert response.status_code == 302
            assert reverse("accounts:login") in response["Location"]

    def test_user_without_role_sees_nothing(self, client, world):
        record = self.make(world, world.danang)
        _login(client, world.nobody)
        assert record.pk not in [row.pk for row in client.get(self.url("_list")).context["table"].data]
        assert client.get(self.url(pk=record.pk)).status_code == 404
        assert client.get(self.url("_add")).status_code == 403

    def test_province_user_sees_own_and_predecessor_records_only(self, client, world):
        own = self.make(world, world.danang)
        inherited = self.make(world, world.quangnam)
        other = self.make(world, world.bacninh)
        _login(client, world.viewer)
        shown = {row.pk for row in client.get(self.url("_list")).context["table"].data}
        assert {own.pk, inherited.pk} <= shown
        assert client.get(self.url(pk=own.pk)).status_code == 200
        if self.shared_reads:
            assert other.pk in shown
            assert client.get(self.url(pk=other.pk)).status_code == 200
            _login(client, world.province_editor)
            assert client.get(self.url("_edit", pk=other.pk)).status_code == 404
        else:
            assert other.pk not in shown
            assert client.get(self.url(pk=other.pk)).status_code == 404

    def test_national_viewer_reads_every_province_but_changes_none(self, client, world):
        record = self.make_read_nationally(world, world.bacninh)
        _login(client, world.national_viewer)
        assert client.get(self.url(pk=record.pk)).status_code == 200
        assert client.get(self.url("_edit", pk=record.pk)).status_code == 404

    def test_other_province_write_is_refused_and_nothing_changes(self, client, world):
        record = self.make(world, world.danang)
        before = self.record_type.model._base_manager.filter(pk=record.pk).values().get()
        _login(client, world.other_editor)
        data = {**self.form_data(world, world.bacninh), "version": record.version}
        assert client.post(self.url("_edit", pk=record.pk), data).status_code == 404
        if self.record_type.trash:
            assert client.post(self.url("_delete", pk=record.pk)).status_code == 404
        assert self.record_type.model._base_manager.filter(pk=record.pk).values().get() == before

    def test_create_writes_history_and_audit(self, client, world):
        _login(client, world.province_editor)
        response = client.post(self.url("_add"), self.form_data(world, world.danang))
        assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
        record = self.record_type.model.objects.latest("pk")
        assert record.scope_unit() == world.danang
        assert record.history.count() == 1
        assert record.history.first().history_user == world.province_editor
        assert AuditEntry.objects.filter(action="create", object_pk=str(record.pk)).count() == 1

    def test_create_for_a_unit_out_of_scope_is_refused(self, client, world):
        _login(client, world.province_editor)
        count = self.record_type.model._base_manager.count()
        response = client.post(self.url("_add"), self.form_data(world, world.bacninh))
        assert response.status_code in {400, 403}
        assert self.record_type.model._base_manager.count() == count

    def test_unit_editor_changes_only_its_own_unit(self, client, world):
        own = self.make(world, world.danang_dept)
        province = self.make(world, world.danang)
        _login(client, world.unit_editor)
        assert client.get(self.url(pk=province.pk)).status_code == 200
        assert client.get(self.url("_edit", pk=province.pk)).status_code == 404
        assert client.get(self.url("_edit", pk=own.pk)).status_code == 200

    def test_edit_with_stale_version_is_a_conflict_and_overwrites_nothing(self, client, world):
        record = self.make(world, world.danang)
        _login(client, world.province_editor)
        data = {**self.form_data(world, world.danang), "version": record.version}
        assert client.post(self.url("_edit", pk=record.pk), data).status_code == 302
        saved = self.record_type.model.objects.get(pk=record.pk)
        response = client.post(self.url("_edit", pk=record.pk), data)  # same (now stale) version
        assert response.status_code == 409
        assert self.record_type.model.objects.get(pk=record.pk).version == saved.version

    def test_delete_moves_to_trash_and_restore_brings_back(self, client, world):
        record = self.make(world, world.danang)
        _login(client, world.province_editor)
        assert client.post(self.url("_delete", pk=record.pk)).status_code == 302
        assert not self.record_type.model.objects.filter(pk=record.pk).exists()
        assert record.pk in [row.pk for row in client.get(self.url("_trash")).context["rows"]]
        assert client.post(self.url("_restore", pk=record.pk)).status_code == 302
        assert self.record_type.model.objects.filter(pk=record.pk).exists()
        actions = list(AuditEntry.objects.filter(object_pk=str(record.pk)).values_list("action", flat=True))
        assert "delete" in actions and "restore" in actions

    def test_bulk_edit_and_delete_touch_only_selected_records_in_scope(self, client, world):
        mine = [self.make(world, world.danang) for _ in range(2)]
        theirs = self.make(world, world.bacninh)
        _login(client, world.province_editor)
        bulk = self.url("_bulk")
        if self.record_type.bulk_fields:
            name = self.record_type.bulk_fields[-1]
            value = "Sửa hàng loạt"
            client.post(bulk, {"action": "edit", "field": name, "value": value, "pk": [r.pk for r in mine]})
            assert all(getattr(self.record_type.model.objects.get(pk=r.pk), name) == value for r in mine)
        client.post(bulk, {"action": "delete", "pk": [mine[0].pk, theirs.pk]})
        assert not self.record_type.model.objects.filter(pk=mine[0].pk).exists()
        assert self.record_type.model.objects.filter(pk__in=[mine[1].pk, theirs.pk]).count() == 2

    def test_purge_erases_a_trashed_record_and_its_history_with_an_audit_entry(self, client, world):
        record = self.make(world, world.danang)
        _login(client, world.province_editor)
        purge = self.url("_purge", pk=record.pk)
        client.post(purge, {"reason": "Dữ liệu nhập nhầm"})
        assert self.record_type.model.all_objects.filter(pk=record.pk).exists(), "only a trashed record is erased"
        client.post(self.url("_delete", pk=record.pk))
        client.post(purge, {"reason": ""})
        assert self.record_type.model.all_objects.filter(pk=record.pk).exists(), "a reason is required"
        client.post(purge, {"reason": "Dữ liệu nhập nhầm"})
        assert not self.record_type.model.all_objects.filter(pk=record.pk).exists()
        assert not record.history.model.objects.filter(id=record.pk).exists()
        entry = AuditEntry.objects.get(action="purge", object_pk=str(record.pk))
        assert entry.detail["reason"] == "Dữ liệu nhập nhầm"

    def test_export_matches_the_filtered_list(self, client, world):
        self.make(world, world.danang)
        self.make(world, world.quangnam)
        _login(client, world.viewer)
        response = client.get(self.url("_list"), {"export": "csv", "unit": "da-nang"})
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        assert response.status_code == 200
        assert len(lines) == 1 + 2  # header, own record, inherited record (Đà Nẵng's portfolio)
        assert AuditEntry.objects.filter(action="export").count() == 1

    def test_the_export_links_keep_the_filters_on_screen(self, client, world):
        """The Excel and CSV links of a filtered list give the rows on screen (issue 18: they dropped the filters)."""
        import html
        import re

        self.make(world, world.danang)
        self.make(world, world.quangnam)
        _login(client, world.viewer)
        page = client.get(self.url("_list"), {"unit": world.quangnam.key}).content.decode()
        links = re.findall(r'href="(\?[^"]*export=(xlsx|csv)[^"]*)"', page)
        found = {kind: html.unescape(href) for href, kind in links}
        assert set(found) == {"xlsx", "csv"}
        assert all(f"unit={world.quangnam.key}" in href for href in found.values())
        lines = client.get(self.url("_list") + found["csv"]).content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) == 1 + 1  # the header and legacy Quảng Nam's one record, as on screen
        workbook = client.get(self.url("_list") + found["xlsx"])
        assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")

    def test_list_queries_do_not_grow_with_rows(self, client, world):
        _login(client, world.province_editor)
        self.make(world, world.danang)
        with CaptureQueriesContext(connection) as few:
            client.get(self.url("_list"))
        for _ in range(15):
            self.make(world, world.danang)
        with CaptureQueriesContext(connection) as many:
            client.get(self.url("_list"))
        assert len(many) <= len(few)
        assert len(many) <= 25

    def test_every_filter_returns_nothing_of_another_province(self, client, world):
        """Each filter of the FilterSet, with values taken from Đà Nẵng's record, finds it for Đà Nẵng and never
        for Bắc Ninh: not in the web list, not in the API, not in the export (issue 17: a filter's subquery must
        ask the policy too)."""
        if self.shared_reads:
            # A shared record is read by every province: what must not show is another province's private record
            # about it. The record is the national catalogue's; the probes come from Đà Nẵng's private record.
            theirs = self.make(world, world.mofa)
            private = self.private_record(world, theirs)
            if private is None:
                pytest.skip("no unit's private record points at this shared record")
            probes = [(name, value) for name, value in filter_probes(self.record_type.filterset_class, private)]
            probes = [(name, value) for name, value in probes if name != "q"]
        else:
            theirs = self.make(world, world.danang)
            probes = filter_probes(self.record_type.filterset_class, theirs)
        api = APIClient()
        _login(client, world.other_editor)
        api.force_authenticate(world.other_editor)
        found_by_owner = []
        owner_api = APIClient()
        owner_api.force_authenticate(world.province_editor)
        for name, value in probes:
            query = {name: value}
            api_rows = api.get(self.api_list_url(), query)
            assert api_rows.status_code in {200, 400}, (name, value)
            if api_rows.status_code == 200:
                assert theirs.pk not in {row["id"] for row in api_rows.json()["results"]}, (name, value)
            page = client.get(self.url("_list"), query)
            assert page.status_code == 200 and theirs.get_absolute_url() not in page.content.decode(), (name, value)
            export = client.get(self.url("_list"), {**query, "export": "csv"}).content.decode("utf-8-sig")
            assert len(export.strip().splitlines()) == 1, (name, value)
            answer = owner_api.get(self.api_list_url(), query)
            if answer.status_code == 200 and theirs.pk in {row["id"] for row in answer.json()["results"]}:
                found_by_owner.append(name)
        # Not vacuous: the same probes find the record for its own province.
        assert found_by_owner, "no filter value found the record for its owner"

    def test_personal_data_is_masked_and_every_view_of_it_audited(self, client, world):
        """Where the policy names personal fields: masked for a viewer on the page, the list, the export and the
        API; shown to the personal-data officer, each surface leaving one audit entry (Decree 13/2023/NĐ-CP)."""
        from core.policy import MASK

        policy = self.record_type.policy
        if not policy.personal_fields:
            pytest.skip("no personal data in this record type")
        record = self.make(world, world.danang)
        secret = {name: getattr(record, name) for name in policy.personal_fields if getattr(record, name)}
        assert secret, "the factory fills at least one personal field"
        api = APIClient()
        for user, masked in ((world.viewer, True), (world.personal_data_officer, False)):
            _login(client, user)
            api.force_authenticate(user)
            before = AuditEntry.objects.filter(action="view_personal").count()
            surfaces = {
                "page": client.get(self.url(pk=record.pk)).content.decode(),
                "list": client.get(self.url("_list")).content.decode(),
                "export csv": client.get(self.url("_list"), {"export": "csv"}).content.decode("utf-8-sig"),
                "api": api.get(self.api_detail_url(record.pk)).content.decode(),
            }
            for surface, text in surfaces.items():
                for value in secret.values():
                    assert (str(value) in text) is not masked, (user, surface)
                if masked:
                    assert MASK in text, surface
            entries = AuditEntry.objects.filter(action="view_personal").order_by("pk")[before:]
            assert sorted(entry.detail["surface"] for entry in entries) == ([] if masked else sorted(surfaces))

    # -- import in the words of the screens (issue 18, item 6) --------------------------------
    def test_a_row_in_the_screens_words_is_imported(self, client, world, django_capture_on_commit_callbacks):
        """Labels and names without diacritics, a text starting with "-" quoted as an export quotes it: the import
        page previews one record, and confirming writes it with the values meant."""
        from core.testing.imports import free_text, screen_words, stored_as_given, upload, xlsx_file

        if not self.record_type.importable:
            pytest.skip("not importable")
        fields = {**self.values, **self.links(world, world.danang)}
        text = free_text(self.record_type, fields)
        if text:
            fields[text] = f"-{fields[text]}"
        form = self.record_type.form_class(user=world.province_editor)
        cells = screen_words(self.record_type, form, fields, plain=True)
        if text:
            cells[capfirst(self.record_type.header(text))] = f"'{fields[text]}"  # as safe_cell writes it
        model = self.record_type.model
        count = model._base_manager.count()
        _login(client, world.province_editor)
        url = self.url("_import")
        plan = upload(client, url, xlsx_file([list(cells), list(cells.values())])).context["plan"]
        assert plan.ok, [str(error) for error in plan.errors]
        assert (len(plan.creates), len(plan.updates)) == (1, 0)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"confirm": "1"})
        assert model._base_manager.count() == count + 1
        written = {name: value for name, value in fields.items() if name in self.record_type.columns}
        assert stored_as_given(model.objects.latest("pk"), written) == {}

    def test_an_unknown_label_is_refused_listing_the_allowed_ones(self, client, world):
        """A choice written with a label that does not exist: the page names the row and the column and lists every
        label allowed (a relation: says the name is unknown); nothing is written."""
        from core.importing import ChoiceReader, RelationReader, Sheet
        from core.testing.imports import screen_words, upload, xlsx_file

        if not self.record_type.importable:
            pytest.skip("not importable")
        fields = {**self.values, **self.links(world, world.danang)}
        sheet = Sheet(self.record_type, world.province_editor)
        cells = screen_words(self.record_type, sheet.form, fields)
        kinds = (ChoiceReader, RelationReader)
        name = next((name for kind in kinds for name in fields if isinstance(sheet.readers.get(name), kind)), None)
        if name is None:
            pytest.skip("no column of this record type takes a value from a list")
        reader = sheet.readers[name]
        wrong = "Không có giá trị này"
        cells[capfirst(self.record_type.header(name))] = wrong
        expected = reader.options() if isinstance(reader, ChoiceReader) else []
        count = self.record_type.model._base_manager.count()
        _login(client, world.province_editor)
        response = upload(client, self.url("_import"), xlsx_file([list(cells), list(cells.values())]))
        assert response.status_code == 400
        errors = [str(error) for error in response.context["plan"].errors]
        prefix = f"dòng 2, cột {capfirst(self.record_type.header(name))}: “{wrong}”"
        assert [error for error in errors if error.startswith(prefix)], errors
        page = html.unescape(response.content.decode())
        assert prefix in page
        assert all(label in page for label in expected), expected
        assert self.record_type.model._base_manager.count() == count

    def test_the_lists_export_imports_back_unchanged(self, client, world):
        """The list's own Excel and CSV files, imported back through the import page: every row reads as
        unchanged, nothing is written, and a value starting with "-" loses the apostrophe the export put before it."""
        from core.tabular import read_table
        from core.testing.imports import free_text, upload

        if not self.record_type.importable:
            pytest.skip("not importable")
        records = [self.make(world, world.danang), self.make(world, world.quangnam)]
        text = free_text(self.record_type, self.values, on_list=True)
        model = self.record_type.model
        if text:
            model._base_manager.filter(pk=records[0].pk).update(**{text: "-1 không phải công thức"})
        before = {row.pk: (row.version, row.history.count()) for row in model._base_manager.all()}
        _login(client, world.province_editor)
        for kind in ("xlsx", "csv"):
            export = client.get(self.url("_list"), {"export": kind})
            content = export.content
            if text and kind == "csv":
                assert "'-1 không phải công thức" in content.decode("utf-8-sig")
            response = upload(client, self.url("_import"), SimpleUploadedFile(f"export.{kind}", content))
            plan = response.context["plan"]
            assert plan.ok, [str(error) for error in plan.errors]
            assert (len(plan.creates), len(plan.updates)) == (0, 0), kind
            rows = len(read_table(content, kind)[1])
            assert rows >= len(records) and len(plan.unchanged) == rows
        assert {row.pk: (row.version, row.history.count()) for row in model._base_manager.all()} == before

    # -- API ---------------------------------------------------------------------------------
    def test_api_requires_authentication(self, world):
        assert APIClient().get(self.api_list_url()).status_code in {401, 403}

    def test_api_lists_only_what_the_user_may_see(self, world):
        own = self.make(world, world.danang)
        other = self.make(world, world.bacninh)
        api = APIClient()
        api.force_authenticate(world.viewer)
        ids = {row["id"] for row in api.get(self.api_list_url()).json()["results"]}
        assert own.pk in ids
        if self.shared_reads:
            assert other.pk in ids
            assert api.get(self.api_detail_url(other.pk)).status_code == 200
            api.force_authenticate(world.province_editor)
            payload = self.api_data(world, world.bacninh)
            assert api.patch(self.api_detail_url(other.pk), payload, format="json").status_code == 404
        else:
            assert other.pk not in ids
            assert api.get(self.api_detail_url(other.pk)).status_code == 404

    def test_api_write_with_stale_if_match_is_412(self, world):
        record = self.make(world, world.danang)
        api = APIClient()
        api.force_authenticate(world.province_editor)
        response = api.get(self.api_detail_url(record.pk))
        assert response["ETag"] == f'"{record.version}"'
        payload = self.api_data(world, world.danang)
        ok = api.put(self.api_detail_url(record.pk), payload, format="json", HTTP_IF_MATCH=response["ETag"])
        assert ok.status_code == 200, ok.json()
        stale = api.put(self.api_detail_url(record.pk), payload, format="json", HTTP_IF_MATCH=response["ETag"])
        assert stale.status_code == 412

    def test_api_create_is_idempotent_and_scoped(self, world):
        api = APIClient()
        api.force_authenticate(world.province_editor)
        count = self.record_type.model.all_objects.count()
        # One payload sent twice: a retry is the same request (the key reused with another body answers 422).
        payload = self.api_data(world, world.danang)
        first = api.post(self.api_list_url(), payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
        again = api.post(self.api_list_url(), payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
        assert first.status_code == 201, first.json()
        assert again.json() == first.json()
        assert self.record_type.model.all_objects.count() == count + 1
        refused = api.post(self.api_list_url(), self.api_data(world, world.bacninh), format="json")
        assert refused.status_code == 400
        assert self.record_type.model.all_objects.count() == count + 1

    def test_api_fuzzed_writes_never_fail_on_the_server(self, world):
        """Random values of every type in every field of a valid payload: a 4xx or a success, never a 5xx."""
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st

        api = APIClient()
        api.force_authenticate(world.province_editor)
        keys = list(self.api_data(world, world.danang))
        values = st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(max_size=300),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
        )

        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(st.dictionaries(st.sampled_from(keys), values, max_size=len(keys)))
        def post(overrides):
            payload = {**self.api_data(world, world.danang), **overrides}
            assert api.post(self.api_list_url(), payload, format="json").status_code < 500

        post()

    def test_api_rejects_garbage_without_server_error(self, world):
        api = APIClient()
        api.force_authenticate(world.province_editor)
        for payload in ({}, {"owner": "\x00" * 10}, dict.fromkeys(self.api_data(world, world.danang), "x" * 100000)):
            assert api.post(self.api_list_url(), payload, format="json").status_code == 400


@pytest.mark.django_db
class ChildRecordTests(RecordTests):
    """Generic tests of child rows kept with a registry record (a partner's spellings): the same scope,
    history, conflict, export and query tests; no trash of their own (they go with their parent's form)
    and no API resource of their own (they are nested in the parent's)."""

    test_delete_moves_to_trash_and_restore_brings_back = None
    test_purge_erases_a_trashed_record_and_its_history_with_an_audit_entry = None
    test_api_requires_authentication = None
    test_api_lists_only_what_the_user_may_see = None
    test_api_write_with_stale_if_match_is_412 = None
    test_api_create_is_idempotent_and_scoped = None
    test_api_fuzzed_writes_never_fail_on_the_server = None
    test_api_rejects_garbage_without_server_error = None

    def test_bulk_edit_and_delete_touch_only_selected_records_in_scope(self, client, world):
        record = self.make(world, world.danang)
        _login(client, world.province_editor)
        client.post(self.url("_bulk"), {"action": "delete", "pk": [record.pk]})
        assert self.record_type.model.objects.filter(pk=record.pk).exists(), "no trash: no bulk delete"

    def api_data(self, world, owner) -> dict:
        return {}


@pytest.mark.django_db
class ReferenceTests(_RecordTypeTests):
    """Generic tests of reference data: readable by every signed-in user, changed only by
    reference managers, with history."""

    sample: dict = {}  # field values of a record; a callable value is called with the world
    changes: dict = {}  # what the edit test changes
    importer = "national_admin"  # reference data is changed by reference managers

    def make(self, world):
        values = {key: value(world) if callable(value) else value for key, value in self.sample.items()}
        return self.record_type.model.objects.create(**values)

    def form_data(self, world, record) -> dict:
        """The record as its form would post it, with ``changes`` applied."""
        import json

        from django.forms.models import model_to_dict

        form_fields = list(self.record_type.form_class.base_fields)
        data = {key: value for key, value in model_to_dict(record, fields=form_fields).items() if value is not None}
        data.update(self.changes)
        for name, value in data.items():
            if isinstance(value, list | dict):
                data[name] = json.dumps(value, ensure_ascii=False)
        return {**data, "version": record.version}

    def test_anonymous_is_sent_to_login(self, client, world):
        assert client.get(self.url("_list")).status_code == 302

    def test_every_signed_in_user_reads(self, client, world):
        record = self.make(world)
        _login(client, world.other_editor)
        response = client.get(self.url("_list"))
        assert response.status_code == 200
        assert record.pk in [row.pk for row in response.context["table"].data]

    def test_only_reference_managers_edit_and_history_is_kept(self, client, world):
        record = self.make(world)
        edit = self.url("_edit", pk=record.pk)
        _login(client, world.province_editor)
        assert client.post(edit, self.form_data(world, record)).status_code == 404
        _login(client, world.national_admin)
        response = client.post(edit, self.form_data(world, record))
        assert response.status_code == 302, response.context and response.context["form"].errors
        record.refresh_from_db()
        assert record.history.count() >= 2
        assert {key: getattr(record, key) for key in self.changes} == self.changes

    def test_api_reads(self, world):
        record = self.make(world)
        api = APIClient()
        api.force_authenticate(world.viewer)
        response = api.get(self.api_list_url(), {"page_size": 500})
        assert response.status_code == 200
        assert record.pk in [row["id"] for row in response.json()["results"]]

    # -- import in the words of the screens (issue 18, item 6) --------------------------------
    def test_a_row_in_the_screens_words_is_imported_and_the_export_comes_back_unchanged(
        self, client, world, django_capture_on_commit_callbacks
    ):
        """A reference row written with labels and names without diacritics is imported; the list's own export,
        imported back, changes nothing."""
        from core.tabular import read_table
        from core.testing.imports import screen_words, stored_as_given, upload, xlsx_file

        if not self.record_type.importable:
            pytest.skip("not importable")
        fields = {key: value(world) if callable(value) else value for key, value in self.sample.items()}
        fields = {name: value for name, value in {**fields, **self.changes}.items() if name in self.record_type.columns}
        form = self.record_type.form_class(user=world.national_admin)
        cells = screen_words(self.record_type, form, fields, plain=True)
        _login(client, world.national_admin)
        url = self.url("_import")
        plan = upload(client, url, xlsx_file([list(cells), list(cells.values())])).context["plan"]
        assert plan.ok, [str(error) for error in plan.errors]
        assert (len(plan.creates), len(plan.updates)) == (1, 0)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"confirm": "1"})
        record = self.record_type.model.objects.latest("pk")
        assert stored_as_given(record, fields) == {}
        before = {row.pk: row.version for row in self.record_type.model.objects.all()}
        for kind in ("xlsx", "csv"):
            export = client.get(self.url("_list"), {"export": kind}).content
            plan = upload(client, url, SimpleUploadedFile(f"export.{kind}", export)).context["plan"]
            assert plan.ok, [str(error) for error in plan.errors]
            rows = len(read_table(export, kind)[1])
            assert rows and (len(plan.creates), len(plan.updates), len(plan.unchanged)) == (0, 0, rows)
        assert {row.pk: row.version for row in self.record_type.model.objects.all()} == before


class PartTests:
    """Generic tests of a part of a record that has no pages, form or API of its own and is written only by a verb
    (a report's revisions, written by sending it; a period's reminders, written from the register). Its class
    declares::

        class TestReportRevision(PartTests):
            model = ReportRevision

            def make(self, world, owner): ...     # a saved part in the scope of ``owner`` (made directly)
            def more(self, world, part): ...      # another part shown on the same page as ``part``
            def write(self, world): ...           # a part of Đà Nẵng's written by its verb, as its users write it
            def page(self, part, user) -> str: ...  # the page that shows ``part`` to ``user`` (who may read it)
            def shown(self, part) -> str: ...     # what that page shows of it

    Each test walks a row of the permission story of DESIGN.md for such a part: nothing but its verb writes it (no
    record type, no API resource); its scope is its unit's (the unit's and its successor's users read it, another
    province's and a user without a role do not, a national viewer reads every one); another province's user is not
    shown it; writing it leaves an audit entry; its page's SQL does not grow with the number of parts.
    """

    model = None

    def make(self, world, owner):
        raise NotImplementedError(f"{type(self).__name__}: declare make")

    def more(self, world, part):
        raise NotImplementedError(f"{type(self).__name__}: declare more")

    def write(self, world):
        raise NotImplementedError(f"{type(self).__name__}: declare write")

    def page(self, part, user) -> str:
        raise NotImplementedError(f"{type(self).__name__}: declare page")

    def shown(self, part) -> str:
        raise NotImplementedError(f"{type(self).__name__}: declare shown")

    def test_nothing_but_its_verb_writes_it(self):
        from core.api.router import router
        from core.records import record_type_for

        assert record_type_for(self.model) is None, "a part has no pages or form of its own"
        for _prefix, viewset, _basename in router.registry:
            queryset = getattr(viewset, "queryset", None)
            assert queryset is None or queryset.model is not self.model, "a part has no API resource of its own"

    def test_its_scope_is_its_units(self, world):
        own, inherited, other = (self.make(world, unit) for unit in (world.danang, world.quangnam, world.bacninh))
        visible = set(self.model.objects.restrict(world.viewer).values_list("pk", flat=True))
        assert {own.pk, inherited.pk} <= visible and other.pk not in visible
        assert not self.model.objects.restrict(world.nobody).exists()
        every = set(self.model.objects.restrict(world.national_viewer).values_list("pk", flat=True))
        assert {own.pk, inherited.pk, other.pk} <= every
        assert self.model.policy.may(world.viewer, "view", own)
        assert not self.model.policy.may(world.other_editor, "view", own)

    def test_its_page_shows_it_to_who_may_read_it_only(self, client, world):
        part = self.make(world, world.danang)
        for user in (world.viewer, world.national_viewer):
            _login(client, user)
            response = client.get(self.page(part, user))
            assert response.status_code == 200
            assert html.escape(self.shown(part)) in response.content.decode(), user.username
        _login(client, world.other_editor)
        response = client.get(self.page(part, world.other_editor))
        assert response.status_code == 404 or html.escape(self.shown(part)) not in response.content.decode()

    def test_writing_it_leaves_an_audit_entry(self, world):
        before = AuditEntry.objects.count()
        part = self.write(world)
        assert self.model.objects.unrestricted("test").filter(pk=part.pk).exists()
        assert AuditEntry.objects.count() > before

    def test_its_pages_sql_does_not_grow_with_the_parts(self, client, world):
        part = self.make(world, world.danang)
        self.more(world, part)
        _login(client, world.viewer)
        url = self.page(part, world.viewer)
        client.get(url)
        with CaptureQueriesContext(connection) as first:
            assert client.get(url).status_code == 200
        for _ in range(3):
            self.more(world, part)
        with CaptureQueriesContext(connection) as later:
            assert client.get(url).status_code == 200
        assert len(later) <= len(first), [query["sql"][:160] for query in later.captured_queries]


def check_import_template(response, record_type, user) -> None:
    """The template of ``record_type``'s import: headers in the screen's words and no row below them, a drop-down
    list on every column that takes one value of a list (its values the labels the screens show), and a guide."""
    import io

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from core.importing import Sheet

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    data, values, guide = book.worksheets
    sheet = Sheet(record_type, user)
    names = [name for name in record_type.columns if name in sheet.readers]
    # The record type's importer writes the headers: the record's columns in order, and any of its own (a
    # delegation's number and its members' columns, activities.importing).
    headers = [column.header for column in record_type.importer(record_type, user).template_columns()]
    assert [cell.value for cell in data[1]] == headers
    expected = [capfirst(record_type.header(name)) for name in names]
    assert [header for header in headers if header in expected] == expected
    assert data.max_row == 1, "no example row that would be imported"
    validated = {str(range_).split(":")[0] for item in data.data_validations.dataValidation for range_ in item.sqref}
    listed = [values.cell(row=1, column=index).value for index in range(1, values.max_column + 1)]
    for name in names:
        reader = sheet.readers[name]
        options = reader.options()
        if not options:
            continue
        header = capfirst(record_type.header(name))
        column = listed.index(header) + 1
        assert [values.cell(row=row, column=column).value for row in range(2, len(options) + 2)] == options
        letter = get_column_letter(headers.index(header) + 1)
        assert (f"{letter}2" in validated) is not reader.many, name
    assert guide.title == "Hướng dẫn"
    assert any(cell.value == capfirst(record_type.header(names[0])) for row in guide.iter_rows() for cell in row)
