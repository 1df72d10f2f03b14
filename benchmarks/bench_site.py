"""Server time per page of the linked-data site, on the shipped data.

Not a test: run it by hand and it rewrites the "Site" section of BENCHMARKS.md.

    python benchmarks/bench_site.py              # writes BENCHMARKS.md
    python benchmarks/bench_site.py --no-write   # prints the section only

Each page is requested through Flask's test client (no network: the time is the
server's own work, from the request to the last byte of the body). The first request
("cold") fills the per-generation caches (goal table, HUB catalogue, matchmaking,
ontology docs, dumps); the next ``--repeat`` requests ("warm") are what a visitor sees
afterwards. The issue's target is under 100 ms per page, warm, as measured here.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version

from l4a_graph import KnowledgeGraph
from l4a_graph.bench.report import replace_section
from l4a_graph.resources import project_root
from l4a_graph.web import create_app

BENCHMARKS = project_root() / "BENCHMARKS.md"
START, END = "<!-- site start -->", "<!-- site end -->"
TARGET_MS = 100.0

PAGES = (
    ("home", "/?lang=en", "text/html"),
    ("HUB page", "/id/hub/xian-youth-education-dialogue?lang=fr", "text/html"),
    ("HUB, Turtle", "/id/hub/xian-youth-education-dialogue", "text/turtle"),
    ("HUB, JSON-LD", "/id/hub/xian-youth-education-dialogue", "application/ld+json"),
    ("LRG page", "/id/org/city-of-xian?lang=es", "text/html"),
    ("SDG goal page", "/sdg/4?lang=en", "text/html"),
    ("SDG target page", "/sdg/11.1?lang=en", "text/html"),
    ("Pact axis page", "/id/pact-axis/people?lang=en", "text/html"),
    ("country page", "/id/country/ES?lang=en", "text/html"),
    ("world region page", "/id/region/EU?lang=en", "text/html"),
    ("UCLG section page", "/id/section/europe?lang=en", "text/html"),
    ("ontology docs", "/def?lang=en", "text/html"),
    ("query UI", "/sparql?lang=en", "text/html"),
    ("map", "/map?lang=en", "text/html"),
    ("API, all HUBs", "/api/hubs", "application/json"),
    ("API, goal filter", "/api/hubs?goal=4", "application/json"),
    ("dumps listing", "/dumps/", "text/html"),
    ("VoID", "/.well-known/void", "text/turtle"),
    ("search", "/search?q=city", "text/html"),
    ("404 page", "/id/hub/unknown", "text/html"),
)


def measure(repeat: int) -> list[tuple[str, str, float, float, float]]:
    """(name, path, cold ms, warm median ms, warm max ms) per page."""
    os.environ["L4A_DUMPS_DIR"] = tempfile.mkdtemp(prefix="l4a-bench-dumps-")
    kg = KnowledgeGraph()
    kg.load_shipped()
    app = create_app(kg, {"rate_limit": ""})
    client = app.test_client()
    client.get("/health")  # start the query service outside the measured requests
    app.extensions["l4a"].service.start()
    rows = []
    try:
        for name, path, accept in PAGES:
            times = []
            for _ in range(repeat + 1):
                started = time.perf_counter()
                with client.get(path, headers={"Accept": accept}) as response:
                    response.get_data()
                    status = response.status_code
                times.append((time.perf_counter() - started) * 1000)
                if status not in (200, 404):
                    raise SystemExit(f"{path}: HTTP {status}")
            warm = times[1:]
            rows.append((name, path, times[0], statistics.median(warm), max(warm)))
    finally:
        app.extensions["l4a"].service.close()
        kg.close()
    return rows


def section(rows: list[tuple[str, str, float, float, float]], repeat: int) -> str:
    packages = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "flask", "rdflib"))
    worst = max(r[3] for r in rows)
    lines = [
        START,
        "## Site",
        "",
        f"`python benchmarks/bench_site.py`, {datetime.now(UTC):%Y-%m-%d}. Machine: "
        f"{os.cpu_count()} cores, {platform.platform()}, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; Python "
        f"{platform.python_version()}, {packages}.",
        "",
        "Server time per page on the shipped data (Flask test client, no network): the "
        "first request (cold: it fills the caches that live until the data changes) and "
        f"the median and maximum of {repeat} more (warm).",
        "",
        "| page | path | cold (ms) | warm median (ms) | warm max (ms) |",
        "|---|---|---:|---:|---:|",
        *(f"| {n} | `{p}` | {c:.1f} | {m:.1f} | {x:.1f} |" for n, p, c, m, x in rows),
        "",
        f"Target: under {TARGET_MS:.0f} ms per page, warm; the slowest warm median is "
        f"{worst:.1f} ms. Cold requests pay once per data change for the matchmaking "
        "ranking (HUB pages, map), the ontology documentation and the dumps (built with "
        "`write_dumps`, the same files as `l4a export --dumps`).",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="warm requests per page")
    parser.add_argument("--no-write", action="store_true", help="print, do not write")
    args = parser.parse_args(argv)
    text = section(measure(args.repeat), args.repeat)
    print(text)
    if not args.no_write:
        replace_section(BENCHMARKS, START, END, text)
        print(f"wrote the Site section of {BENCHMARKS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
