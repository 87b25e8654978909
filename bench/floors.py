"""The floors the benchmark measures the machinery against (``make bench``, bench/run.py): for each kind of
page, the least a Django view can do to show the same rows, served through the same middleware.

- a list page's floor renders the same rows of the same queryset (scoped, the same joins, the default order,
  the same page) as a plain string join of the table's columns: one query (two where the list prefetches a
  many-valued relation);
- an API list's floor dumps the same rows' ``values()`` as JSON: one query;
- the resolver's floor is one rapidfuzz pass; served as JSON by a bare view it shows what the request costs;
- the register page's floor renders a period's rows joined to their units as a plain table (one query), and the
  periods API's floor counts the same figures (expected, submitted, on time, missing) in one raw SQL query.

The URL configuration is the project's with the floors added, so that both are served by one client in one
process (bench/run.py sets ``ROOT_URLCONF`` to this module). Nothing here is imported by the product.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils.html import escape

from config.urls import urlpatterns as project_urlpatterns
from core.models import Unit
from core.records import record_types

# The rows a list shows when nothing is asked: the unit list shows current units (core.filtersets.UnitFilterSet).
DEFAULT_FILTERS = {Unit: {"is_legacy": False}}


def _page_size(request) -> int:
    return int(request.GET.get("page_size", 25))


def _columns(record_type) -> list[tuple[str, str]]:
    """(name, accessor) of each data column of the record type's table, in the table's order."""
    table = record_type.table_class(record_type.model._default_manager.none())
    return [(column.name, str(column.accessor)) for column in table.columns if column.name not in {"selection"}]


def _queryset(record_type, request):
    """The list page's rows: scoped, with the joins the page makes (core.views.RecordListView)."""
    shown = {name for name, _accessor in _columns(record_type)}
    related = [f.name for f in record_type.model._meta.concrete_fields if f.is_relation and f.name in shown]
    rows = (
        record_type.model._default_manager.restrict(request.user, "view")
        .select_related(*related, *record_type.list_related)
        .prefetch_related(*record_type.list_prefetch)
    )
    return rows.filter(**DEFAULT_FILTERS.get(record_type.model, {}))


def _cell(record, accessor: str) -> str:
    value = record
    for part in accessor.split("."):
        value = getattr(value, part, None) if value is not None else None
    if value is None:
        return ""
    return escape(value)


_PLAN: dict[str, tuple] = {}


def list_floor(request, slug: str):
    """The rows of a list page as a plain table: no table library, no template, no form."""
    record_type = record_types()[slug]
    if slug not in _PLAN:  # the columns are worked out once, as a real page's class would be
        _PLAN[slug] = (_columns(record_type), record_type.list_prefetch)
    columns, prefetched = _PLAN[slug]
    out = ["<table><tr>", *(f"<th>{escape(name)}</th>" for name, _accessor in columns), "</tr>"]
    for record in _queryset(record_type, request)[: _page_size(request)]:
        out.append(f'<tr><td><a href="{record.get_absolute_url()}">{_cell(record, columns[0][1])}</a></td>')
        out.extend(f"<td>{_cell(record, accessor)}</td>" for _name, accessor in columns[1:])
        # A many-valued relation the list prefetches (an agreement's foreign parties) is shown joined.
        out.extend(
            f"<td>{escape(', '.join(str(item) for item in getattr(record, name).all()))}</td>" for name in prefetched
        )
        out.append("</tr>")
    out.append("</table>")
    return HttpResponse("".join(out))


def api_floor(request, slug: str):
    """The rows of an API list page as ``values()`` dumped to JSON."""
    record_type = record_types()[slug]
    rows = record_type.model._default_manager.restrict(request.user, "view")
    if isinstance(rows, models.QuerySet):
        rows = rows.values()[: _page_size(request)]
    return JsonResponse({"results": list(rows)}, encoder=DjangoJSONEncoder)


def resolve_floor(request):
    """One rapidfuzz pass over the resolver's spellings for ``name``, as JSON: the resolver's API without the
    resolver."""
    from rapidfuzz import fuzz, process

    from core.text import fold
    from partners.resolve import _CACHE

    found = process.extract(
        fold(request.GET.get("name", "")), _CACHE.index.choices, scorer=fuzz.ratio, limit=30, score_cutoff=60
    )
    return JsonResponse({"candidates": [{"matched": choice, "score": score} for choice, score, _index in found]})


def register_floor(request):
    """The rows of a period's register (``?regime=KEY&period=2024-H1``) with their units, as a plain table: one
    query over the period's rows joined to their units, no expected units worked out, no template."""
    from reports.models import Submission

    rows = (
        Submission.objects.restrict(request.user, "view")
        .filter(reporting_period__regime__key=request.GET["regime"], reporting_period__period=request.GET["period"])
        .select_related("owner", "reporting_period")
        .order_by("owner__name", "sent_on", "pk")
    )
    out = ["<table><tr><th>unit</th><th>sent</th><th>received</th><th>days late</th><th>flags</th></tr>"]
    for row in rows:
        out.append(
            f"<tr><td>{escape(row.owner.name)}</td><td>{row.sent_on or ''}</td><td>{row.received_on or ''}</td>"
            f"<td>{'' if row.days_late is None else row.days_late}</td><td>{escape(', '.join(row.flags))}</td></tr>"
        )
    out.append("</table>")
    return HttpResponse("".join(out))


# The figures of a period in one hand-written query, valid on SQLite and PostgreSQL: the provinces that existed on
# the data cut-off, those of them with a row sent (their earliest), on time; missing is the difference.
REGISTER_FIGURES_SQL = """
WITH period AS (
    SELECT p.id, p.data_to, p.on_time_until
    FROM reports_reportingperiod p JOIN reports_reportingregime r ON r.id = p.regime_id
    WHERE r."key" = %s AND p.period = %s
), expected AS (
    SELECT u.id FROM core_unit u, period
    WHERE u.level = 'province' AND u.kind IN ('province', 'municipality')
      AND (u.valid_from IS NULL OR u.valid_from <= period.data_to)
      AND (u.valid_to IS NULL OR u.valid_to >= period.data_to)
), sent AS (
    SELECT s.owner_id, MIN(s.sent_on) AS sent_on
    FROM reports_submission s JOIN period ON s.reporting_period_id = period.id
    WHERE s.deleted_at IS NULL AND s.sent_on IS NOT NULL AND s.owner_id IN (SELECT id FROM expected)
    GROUP BY s.owner_id
)
SELECT
    (SELECT COUNT(*) FROM expected),
    (SELECT COUNT(*) FROM sent),
    (SELECT COUNT(*) FROM sent, period WHERE sent.sent_on <= period.on_time_until)
"""


def register_api_floor(request):
    """The figures the periods API answers for ``?regime=KEY&period=2024-H1`` (expected, submitted, on time,
    missing), from one raw SQL query, as JSON."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(REGISTER_FIGURES_SQL, [request.GET["regime"], request.GET["period"]])
        expected, submitted, on_time = cursor.fetchone()
    return JsonResponse(
        {
            "expected_count": expected,
            "submitted_count": submitted,
            "on_time_count": on_time,
            "late_count": submitted - on_time,
            "missing_count": expected - submitted,
        }
    )


urlpatterns = [
    path("bench-floor/register/", register_floor),
    path("bench-floor/register-api/", register_api_floor),
    path("bench-floor/resolve/", resolve_floor),
    path("bench-floor/list/<slug:slug>/", list_floor),
    path("bench-floor/api/<slug:slug>/", api_floor),
    *project_urlpatterns,
]
