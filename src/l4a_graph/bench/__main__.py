"""One benchmark stage in this process: ``python -m l4a_graph.bench STAGE SIZE WORKDIR``.

Prints one JSON line: the stage's seconds, its peak memory and the details. The peak is
this process's largest resident set (``VmHWM``: ``ru_maxrss`` would start from the
parent's size, which Linux carries over ``fork`` and ``exec``), or the server's for the
stages that measure a server (``server_peak_mb`` in their details), whichever is larger.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    from l4a_graph.bench.stages import HELPERS, STAGES, peak_mb_of

    stage, size, workdir = argv[0], int(argv[1]), Path(argv[2])
    workdir.mkdir(parents=True, exist_ok=True)
    # What the imports alone cost is reported beside the peak; the load average says how
    # much other work shared the machine when the stage began.
    baseline = peak_mb_of("self")
    load = os.getloadavg()[0]
    seconds, detail = (STAGES | HELPERS)[stage](size, workdir)
    own = peak_mb_of("self")
    server = detail.get("server_peak_mb", 0.0)
    peak = max(own, server if isinstance(server, float) else 0.0)
    detail["baseline_mb"] = round(baseline, 1)
    detail["load_1min"] = round(load, 2)
    if server:
        detail["own_peak_mb"] = round(own, 1)
    record = {
        "stage": stage,
        "size": size,
        "seconds": None if seconds is None else round(seconds, 4),
        "peak_mb": round(peak, 1),
        "detail": detail,
    }
    print(json.dumps(record))


if __name__ == "__main__":
    main(sys.argv[1:])
