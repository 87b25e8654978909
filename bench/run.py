"""Benchmark harness (``make bench``): builds a synthetic data set in a fresh database and prints
server-time percentiles and SQL query counts for the pages that exist so far; writes JSON to
bench/results/. Uses SQLite unless DATABASE_URL is set. Grows with each registry."""

import json
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
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def measure(client, label: str, urls: list[str], connection, capture) -> dict:
    """Server time percentiles of GET ``urls`` and the most SQL queries one of them made."""
    timings, most = [], 0
    for url in urls:
        with capture(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
        most = max(most, len(queries))
    timings.sort()
    p50 = round(statistics.median(timings), 1)
    p95 = round(timings[max(int(len(timings) * 0.95) - 1, 0)], 1)
    return {"page": label, "url": urls[0], "p50_ms": p50, "p95_ms": p95, "queries": most}


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
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
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
    with open(os.devnull, "w") as quiet:
        call_command("generate_synthetic", scale="national", years=10, seed=1, stdout=quiet)
    build_seconds = time.perf_counter() - started
    client = login(Client(), world.national_viewer)
    pages = {
        "declared figures list": "/declared-figures/",
        "declared figures list, filtered": "/declared-figures/?indicator=outgoing_delegations&year=2020",
        "declared figures list, 100 rows": "/declared-figures/?page_size=100",
        "units list": "/units/?level=province",
        "search": "/search/?q=bao cao",
        "API declared figures": "/api/v1/declared-figures/?page_size=100",
        "partners list": "/partners/",
        "API partners, 100 rows": "/api/v1/partners/?page_size=100",
        "agreements list": "/agreements/",
        "agreements list, signed in 2020": "/agreements/?signed_in=2020",
        "API agreements, 100 rows": "/api/v1/agreements/?page_size=100",
        "figures of a province, 2020": "/figures/?unit=da-nang&period=2020",
    }
    results = []
    for label, url in pages.items():
        results.append(measure(client, label, [url] * REPEAT, connection, CaptureQueriesContext))
    from core.models import DeclaredFigure
    from partners.models import Partner

    partner_count = Partner.objects.count()
    names = resolve_names()
    urls = [f"/api/v1/partners/resolve/?{urlencode({'name': name})}" for name in names]
    # The first call builds the resolver's in-memory index; it is reported apart from the steady state.
    start = time.perf_counter()
    assert client.get(urls[0]).status_code == 200  # noqa: S101
    index_ms = (time.perf_counter() - start) * 1000
    runs = max(1, REPEAT // len(urls))
    results.append(
        measure(client, f"partners/resolve ({partner_count} partners)", urls * runs, connection, CaptureQueriesContext)
    )

    print(
        f"database: {connection.vendor}; declared figures: {DeclaredFigure.objects.count()}; "
        f"partners: {partner_count}; data built in {build_seconds:.1f} s; {REPEAT} requests per page; "
        f"resolve: {len(names)} names x {runs}, first call (index build) {index_ms:.0f} ms"
    )
    print(f"{'page':<40}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
    for row in results:
        print(f"{row['page']:<40}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['queries']:>10}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{connection.vendor}.json").write_text(json.dumps(results, indent=1))
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
