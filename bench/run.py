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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


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
    }
    results = []
    for label, url in pages.items():
        timings = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101
        timings.sort()
        p50 = round(statistics.median(timings), 1)
        p95 = round(timings[int(len(timings) * 0.95) - 1], 1)
        results.append({"page": label, "url": url, "p50_ms": p50, "p95_ms": p95, "queries": len(queries)})
    from core.models import DeclaredFigure

    print(
        f"database: {connection.vendor}; declared figures: {DeclaredFigure.objects.count()}; "
        f"data built in {build_seconds:.1f} s; {REPEAT} requests per page"
    )
    print(f"{'page':<36}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
    for row in results:
        print(f"{row['page']:<36}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['queries']:>10}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{connection.vendor}.json").write_text(json.dumps(results, indent=1))
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
