"""``python -m l4a_graph.reference [--out DIR] [--sdg-dir DIR]``: rebuild the reference files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from l4a_graph.errors import L4AError
from l4a_graph.reference import build_reference, default_out_dir, default_sdg_dir


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, build the files and print their paths; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m l4a_graph.reference",
        description="Generate data/reference/*.ttl (SDGs, countries, places, UCLG sections).",
    )
    parser.add_argument("--out", type=Path, default=default_out_dir(), help="output folder")
    parser.add_argument(
        "--sdg-dir", type=Path, default=default_sdg_dir(), help="folder of the SDG sources"
    )
    args = parser.parse_args(argv)
    try:
        paths = build_reference(args.out, args.sdg_dir)
    except L4AError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
