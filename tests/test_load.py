"""A bounded load test: a real ``l4a serve`` on 127.0.0.1, mixed reads and concurrent writes.

The small version of ``benchmarks/load_test.py`` (which runs 100,000 requests and writes
the "Load" section of BENCHMARKS.md): 2,000 requests from 8 client threads, at most
90 seconds. Checked: no error (every answer has the status its kind expects), no
acknowledged write lost (each is read back), the token never in the access log, and a
p95 latency and memory that stay in bounds generous enough for a busy 2-core machine.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from l4a_graph.resources import project_root
from l4a_graph.web import SETTINGS

ROOT = project_root()
REQUESTS = 2000


def _load_test() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "benchmarks" / "load_test.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load_test = _load_test()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        with load_test.serve(Path(tmp_path_factory.mktemp("load"))) as running:
            yield running


def test_mixed_load_loses_nothing(server: object) -> None:
    result = load_test.run(server, REQUESTS, clients=8, max_seconds=90)
    print(load_test.summary(result))
    print(load_test.table(result))
    assert result.errors == [], result.errors[:10]
    assert result.lost == [], result.lost[:10]
    assert result.stopped_by == "count", "2,000 requests took more than 90 s"
    assert result.writes >= REQUESTS * 0.02, "too few writes to call it concurrent"
    assert {kind for kind in result.latencies if kind.startswith("write")} == {
        "write-data",
        "write-update",
        "write-apply",
    }
    assert not result.token_in_log
    assert result.percentile(95) < 3000, "p95 over 3 s"
    warm, end, _ = result.memory_after_warmup()
    assert end - warm < 300, f"memory grew from {warm:.0f} MB to {end:.0f} MB"
