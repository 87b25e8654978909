"""Benchmark harness (``make bench``): builds the national synthetic data set in a fresh database, then measures
each page beside its floor, in the same run and process, and prints the ratios (docs/performance.md).

What is measured, each against its floor (bench/floors.py):

- every registered record type's list page (core.records.record_types()) at 25 and 100 rows, against a bare
  Django view of the same rows (one query, a plain string join);
- every record type's API list at 100 and 500 rows, against a bare JSON dump of the same rows' ``values()``;
- the resolver's API (``GET /api/v1/partners/resolve/``) and ``partners.resolve.resolve`` itself, against one
  rapidfuzz ``process.extract`` pass over the index's spellings for the same names;
- the agreements annual report (``agreements.report.render_agreements_annual``), against the python-docx call
  alone (``agreements_annual_docx``) on the same data;
- the register of a synthetic half-year (``/reports/register/``), against a bare view of the period's rows joined
  to their units, and the periods API's figures of it, against one raw SQL query counting them (issue 20);

and, without a floor, the pages whose SQL must not grow with the data (the figures of a province, what needs
attention) and a few others. A page and its floor are requested in turn, so that both see the same machine;
on a shared machine absolute times are noisy and the ratios are what counts. Queries are counted on one more
request of each, outside the timings.

Uses SQLite unless DATABASE_URL is set (PostgreSQL: a throw-away ``<name>_bench`` database beside the one it
names, analysed once built, as autovacuum would have analysed it on a server; SQLite keeps no statistics unless
told to, and is left so). ``BENCH_REPEAT`` (default 10) requests per page; ``BENCH_GC_FREEZE=0`` leaves the
garbage collector as it is instead of freezing what start-up loaded, as the served processes do (config/wsgi.py);
``BENCH_SECTIONS`` picks some of ``lists,api,resolve,report,register,pages,import`` (``import``: the delegations
import of 10,000 delegations and 50,000 members beside its floor, bench/importing.py, about three minutes; leave it
out for a quick run). Writes JSON to bench/results/.
"""

import gc
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
GC_FREEZE = os.environ.get("BENCH_GC_FREEZE", "1") != "0"
SECTIONS = os.environ.get("BENCH_SECTIONS", "lists,api,resolve,report,register,pages,import").split(",")
# The half-year of the synthetic register measured (reports/synthetic.py): one of the legacy provinces' periods.
REGISTER_PERIOD = "2024-H1"


def percentiles(timings: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank)."""
    timings = sorted(timings)
    return statistics.median(timings), timings[math.ceil(len(timings) * 0.95) - 1]


def count_queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def get(client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
        return response

    return call


def side_by_side(label: str, rows, page, floor, repeat: int = REPEAT) -> dict:
    """Time ``page`` and ``floor`` (callables, or lists of callables taken in turn) alternately, after a call
    of each that warms caches and one more that counts queries."""
    pages = page if isinstance(page, list) else [page]
    floors = floor if isinstance(floor, list) else [floor] if floor else []
    for call in pages + floors:
        call()
    queries = max(count_queries(call) for call in pages)
    floor_queries = max((count_queries(call) for call in floors), default=None)
    page_times, floor_times = [], []
    for _ in range(repeat):
        for index, call in enumerate(pages):
            page_times.append(timed(call))
            if floors:
                floor_times.append(timed(floors[index % len(floors)]))
    p50, p95 = percentiles(page_times)
    row = {"page": label, "rows": rows, "p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "queries": queries}
    if floors:
        floor_p50, floor_p95 = percentiles(floor_times)
        row.update(
            floor_p50_ms=round(floor_p50, 2),
            floor_p95_ms=round(floor_p95, 2),
            floor_queries=floor_queries,
            ratio=round(p50 / floor_p50, 2),
        )
    return row


def resolve_names() -> list[str]:
    """Names to resolve, as documents write them: partners' own names and spellings, the same with
    generic words and a country around them, misspellings, Vietnamese exonyms, and names nobody has."""
    from partners.models import Partner, PartnerAlias

    partners = list(Partner.objects.order_by("pk").values_list("name_vi", "name_en")[::400])
    aliases = list(PartnerAlias.objects.order_by("pk").values_list("name", flat=True)[::900])
    names = [name_vi for name_vi, _name_en in partners[:6]] + [name_en for _name_vi, name_en in partners[6:12]]
    names += aliases[:6]
    names += [f"thành phố {name_en}, Hàn Quốc" for _name_vi, name_en in partners[:3]]
    # Misspellings: two letters swapped in the middle of an English name.
    for _name_vi, name_en in partners[3:9]:
        middle = len(name_en) // 2
        names.append(name_en[: middle - 1] + name_en[middle] + name_en[middle - 1] + name_en[middle + 1 :])
    names += ["Viêng Chăn", "Bắc Kinh", "Tô-ky-ô", "Xơ-un", "Matxcơva", "Pa-ri", "Phnôm Pênh", "Xiêm Riệp"]
    names += ["Stenzendre", "Sê Kông", "tỉnh giáp biên Sê Koong (Lào)", "Chămpasắc"]
    names += ["Thành phố không có thật", "Atlantis", "Tập đoàn Zzyzx tại Thái Lan", "Q"]
    return names


def list_rows(client) -> list[dict]:
    """Every record type's list page at 25 and 100 rows."""
    from django.urls import reverse

    from core.records import record_types

    results = []
    for slug, record_type in record_types().items():
        list_url = reverse(f"{record_type.url_base}_list")
        for size in (25, 100):
            results.append(
                side_by_side(
                    f"list {slug}",
                    size,
                    get(client, f"{list_url}?page_size={size}"),
                    get(client, f"/bench-floor/list/{slug}/?page_size={size}"),
                )
            )
    return results


def api_rows(client) -> list[dict]:
    """Every record type's API list at 100 and 500 rows."""
    from django.urls import NoReverseMatch, reverse

    from core.records import record_types

    results = []
    for slug, record_type in record_types().items():
        try:
            api_url = reverse(f"{record_type.model._meta.model_name}-list")
        except NoReverseMatch:
            continue
        for size, repeat in ((100, REPEAT), (500, max(3, REPEAT // 2))):
            results.append(
                side_by_side(
                    f"API {slug}",
                    size,
                    get(client, f"{api_url}?page_size={size}"),
                    get(client, f"/bench-floor/api/{slug}/?page_size={size}"),
                    repeat,
                )
            )
    return results


def resolver_rows(client) -> tuple[list[dict], str]:
    """The resolver through its API and called directly, against one rapidfuzz pass for the same names."""
    from rapidfuzz import fuzz, process

    from core.text import fold
    from partners import resolve
    from partners.models import Partner

    names = resolve_names()
    urls = [f"/api/v1/partners/resolve/?{urlencode({'name': name})}" for name in names]
    # The first call builds the resolver's in-memory index; it is reported apart from the steady state.
    index_ms = timed(get(client, urls[0]))
    choices = resolve._CACHE.get().choices

    def one_pass(name: str):
        return lambda: process.extract(fold(name), choices, scorer=fuzz.ratio, limit=30, score_cutoff=60)

    floors = [one_pass(name) for name in names]
    # Each name is a short request: ten rounds of the 43 give medians that move less from run to run.
    runs = REPEAT
    partner_count = Partner.objects.count()
    rows = [
        side_by_side(
            f"resolve API ({partner_count} partners)", len(names), [get(client, url) for url in urls], floors, runs
        ),
        side_by_side(
            "resolve API / bare view + one pass",
            len(names),
            [get(client, url) for url in urls],
            [get(client, f"/bench-floor/resolve/?{urlencode({'name': name})}") for name in names],
            runs,
        ),
        side_by_side(
            "resolve() itself", len(names), [lambda name=name: resolve.resolve(name) for name in names], floors, runs
        ),
    ]
    note = f"resolve: {len(names)} names x {runs}, {len(choices)} spellings, first call (index build) {index_ms:.0f} ms"
    return rows, note


def report_rows() -> list[dict]:
    """The annual agreements report of the unit with the most agreements, against the python-docx call alone."""
    from django.db.models import Count

    from agreements.models import Agreement
    from agreements.report import agreements_annual_docx, build_agreements_annual, render_agreements_annual
    from core.models import Unit
    from core.periods import Period

    busiest = Agreement.objects.values("owner").annotate(n=Count("pk")).order_by("-n", "owner").first()
    unit = Unit.objects.get(pk=busiest["owner"])
    period = Period.parse("2020")
    data = build_agreements_annual(unit, period)
    return [
        side_by_side(
            f"agreements report ({unit.key}, 2020)",
            len(data["signed"]) + len(data["in_force"]) + len(data["planned"]),
            lambda: render_agreements_annual(unit, period, "docx"),
            lambda: agreements_annual_docx(data),
            max(3, REPEAT // 2),
        )
    ]


def national_sql(period_id: int, previous_id: int | None, codes: list[str]):
    """The national figures of a period in one hand-written query: for each indicator, the total of the provinces'
    last revisions sent and not returned, and how many increased, decreased or kept it against their previous value
    (their own report of the period before, else what their report stated), the floor of reports.national.aggregate."""

    from django.db import connection

    def value(alias: str, code: str, index: int) -> str:
        # ReportRevision.figure_values: {code: [value, previous, currency]}.
        if connection.vendor == "postgresql":
            return f"NULLIF({alias}.figure_values #>> '{{{code},{index}}}', '')::numeric"
        return f"CAST(json_extract({alias}.figure_values, '$.{code}[{index}]') AS REAL)"

    columns = []
    for code in codes:
        now = value("r", code, 0)
        before = f"COALESCE({value('q', code, 0)}, {value('r', code, 1)})"
        columns += [
            f"SUM({now})",
            f"SUM(CASE WHEN {now} > {before} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {now} < {before} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {now} = {before} THEN 1 ELSE 0 END)",
        ]
    # The columns are built from the regime's indicator codes (reference data, [a-z_]), never from input.
    sql = (
        f"SELECT {', '.join(columns)} FROM reports_reportrevision r "  # noqa: S608
        "JOIN reports_report p ON p.id = r.report_id AND r.revision = p.revision "
        "LEFT JOIN reports_report pp ON pp.owner_id = p.owner_id AND pp.reporting_period_id = %s "
        "AND pp.deleted_at IS NULL AND pp.status IN ('submitted', 'received') "
        "LEFT JOIN reports_reportrevision q ON q.report_id = pp.id AND q.revision = pp.revision "
        "WHERE p.reporting_period_id = %s AND p.deleted_at IS NULL AND p.status IN ('submitted', 'received')"
    )

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [previous_id, period_id])
            return cursor.fetchone()

    return run


def national_rows() -> list[dict]:
    """The national aggregation of a synthetic half-year (reports.national), against one hand-written SQL query."""
    from reports.models import ReportingPeriod, ReportRevision
    from reports.national import aggregate
    from reports.synthetic import REGIME

    period = ReportingPeriod.objects.get(regime__key=REGIME, period=REGISTER_PERIOD)
    previous = ReportingPeriod.objects.filter(regime__key=REGIME, period=period.parsed.year_before().label).first()
    count = ReportRevision.objects.filter(report__reporting_period=period).unrestricted("the rows measured").count()
    return [
        side_by_side(
            f"national aggregation {REGISTER_PERIOD}",
            count,
            lambda: aggregate(period),
            national_sql(period.pk, previous.pk if previous else None, list(period.regime.indicators)),
        )
    ]


def register_rows(client) -> list[dict]:
    """The register page and the periods API's figures of a synthetic half-year, against their floors."""
    from reports.models import Submission
    from reports.synthetic import REGIME

    query = urlencode({"regime": REGIME, "period": REGISTER_PERIOD})
    rows = Submission.objects.filter(reporting_period__regime__key=REGIME, reporting_period__period=REGISTER_PERIOD)
    count = rows.unrestricted("the rows measured").count()
    return [
        side_by_side(
            f"register {REGISTER_PERIOD}",
            count,
            get(client, f"/reports/register/?{query}"),
            get(client, f"/bench-floor/register/?{query}"),
        ),
        side_by_side(
            f"API reporting-periods {REGISTER_PERIOD}",
            count,
            get(client, f"/api/v1/reporting-periods/?{query}"),
            get(client, f"/bench-floor/register-api/?{query}"),
        ),
    ]


def other_rows(client, world) -> list[dict]:
    """Pages without a floor: their SQL must not grow with the data."""
    from django.test import Client

    from core.testing.world import login

    editor = login(Client(), world.province_editor)
    pages = [
        ("figures of a province, 2020", client, "/figures/?unit=da-nang&period=2020"),
        ("figures of a province, 2016/2020", client, "/figures/?unit=da-nang&period=2016/2020"),
        ("attention (national viewer)", client, "/agreements/attention/"),
        ("attention (province editor)", editor, "/agreements/attention/"),
        ("search", client, "/search/?q=bao cao"),
        ("partners list, searched", client, "/partners/?q=seoul"),
        ("agreements list, signed in 2020", client, "/agreements/?signed_in=2020"),
    ]
    return [side_by_side(label, "", get(who, url), None) for label, who, url in pages]


class _Pauses:
    """The collections of each generation while the pages are measured, and how long they took."""

    def __init__(self):
        self.started = 0.0
        self.times: dict[int, list[float]] = {0: [], 1: [], 2: []}

    def callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.times[info["generation"]].append((time.perf_counter() - self.started) * 1000)

    def summary(self) -> str:
        return "; ".join(
            f"generation {generation}: {len(times)} collections, longest {max(times, default=0):.1f} ms"
            for generation, times in self.times.items()
        )


def watch_collections() -> _Pauses:
    pauses = _Pauses()
    gc.callbacks.append(pauses.callback)
    return pauses


def data_counts() -> str:
    from django.apps import apps

    models = (
        "partners.Partner",
        "partners.PartnerAlias",
        "partners.Relationship",
        "agreements.Agreement",
        "reports.Submission",
    )
    return ", ".join(
        f"{apps.get_model(name)._meta.verbose_name_plural}: {apps.get_model(name).objects.count()}" for name in models
    )


def main() -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    # Served as in production: the test environment's instrumentation of template rendering (a signal and a
    # copy of the context for each template rendered) would weigh on template-heavy pages only.
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = "bench.floors"
    # As served: the resolver checks its index at most once a second (the tests make it check on every call).
    from config.settings import base

    settings.RESOLVER_RECHECK_SECONDS = base.RESOLVER_RECHECK_SECONDS
    # and keeps its database connection between requests, as served (the tests close it after each).
    from django.db import connections

    connections["default"].settings_dict["CONN_MAX_AGE"] = base.DATABASE_CONN_MAX_AGE
    from core.testing.world import build_world, login

    started = time.perf_counter()
    original_name = settings.DATABASES["default"]["NAME"]
    if connection.vendor == "postgresql":
        # A throw-away database beside the one DATABASE_URL names, so the benchmark never touches real data.
        settings.DATABASES["default"]["TEST"].update(NAME=f"{original_name}_bench")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    world = build_world()
    # The central bodies of the reference data, to which the shipped regimes report: the synthetic register loads
    # the regimes for them (reports/synthetic.py).
    from core.models import Unit
    from core.reference import CENTRAL_BODIES
    from core.testing.world import make_unit

    for key, name, _name_en in CENTRAL_BODIES:
        if not Unit.objects.filter(key=key).exists():
            make_unit(key, name, "central_body")
    with open(os.devnull, "w") as quiet:
        call_command("generate_synthetic", scale="national", years=10, seed=1, stdout=quiet)
    if connection.vendor == "postgresql":
        # As autovacuum would have by then on a server: without statistics the planner guesses, and badly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    full_collection_ms = timed(gc.collect)
    if GC_FREEZE:
        import config.wsgi  # noqa: F401 - its start-up: what a served process loads, then gc.freeze()
    pauses = watch_collections()
    client = login(Client(), world.national_viewer)
    try:
        counts = data_counts()
        results, resolver_note = [], ""
        if "lists" in SECTIONS:
            results += list_rows(client)
        if "api" in SECTIONS:
            results += api_rows(client)
        if "resolve" in SECTIONS:
            resolver, resolver_note = resolver_rows(client)
            results += resolver
        if "report" in SECTIONS:
            results += report_rows()
        if "register" in SECTIONS:
            results += register_rows(client)
            results += national_rows()
        if "pages" in SECTIONS:
            results += other_rows(client, world)
        if "import" in SECTIONS:
            # Over a minute on its own (bench/importing.py): asked for by name, not among the default sections.
            from bench.importing import import_rows

            results += import_rows(world)
    finally:
        if connection.vendor == "postgresql":
            connection.creation.destroy_test_db(original_name, verbosity=0)
    gc.callbacks.remove(pauses.callback)
    print(
        f"database: {connection.vendor}; {counts}; data built in {build_seconds:.0f} s; "
        f"{REPEAT} requests per page; {resolver_note}"
    )
    print(
        f"garbage collector: {'frozen after start-up' if GC_FREEZE else 'not frozen'} "
        f"({gc.get_freeze_count()} objects frozen; a full collection took {full_collection_ms:.0f} ms before); "
        f"during the measurements {pauses.summary()}"
    )
    header = (
        f"{'page':<44}{'rows':>5}{'p50 ms':>9}{'p95 ms':>9}{'queries':>8}{'floor p50':>10}{'floor q':>8}{'ratio':>7}"
    )
    print(header)
    for row in results:
        floor = (
            f"{row['floor_p50_ms']:>10.2f}{row['floor_queries']:>8}{row['ratio']:>7.2f}"
            if "ratio" in row
            else f"{'':>10}{'':>8}{'':>7}"
        )
        print(
            f"{row['page'][:43]:<44}{row['rows']!s:>5}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}{row['queries']:>8}{floor}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{connection.vendor}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
