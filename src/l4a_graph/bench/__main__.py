"""One benchmark stage in this process: ``python -m l4a_graph.bench STAGE SIZE WORKDIR``.

Prints one JSON line: the stage's seconds, this process's peak memory and the details.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    from l4a_graph.bench.stages import STAGES

    stage, size, workdir = argv[0], int(argv[1]), Path(argv[2])
    workdir.mkdir(parents=True, exist_ok=True)
    # Linux reports ru_maxrss in KiB; what the imports alone cost is reported beside it.
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds, detail = STAGES[stage](size, workdir)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    detail["baseline_mb"] = round(baseline, 1)
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
