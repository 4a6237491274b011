"""`make bench`: run every domain's benchmark and print figures against the issues' baselines.

Each bench/<domain>.py exposes run() -> list[str]; a domain may be named on the command line.
"""

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(selected: list[str]) -> int:
    """Run the selected benchmarks (all by default) and print their lines."""
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not info.name.startswith("_")
    )
    failed = False
    for name in names:
        if selected and name not in selected:
            continue
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        try:
            for line in importlib.import_module(f"bench.{name}").run():
                print(f"  {line}", flush=True)
        except Exception as exc:  # report and carry on with the other benchmarks
            failed = True
            print(f"  FAILED: {exc!r}", flush=True)
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
