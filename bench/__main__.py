"""`make bench`: run every domain's benchmark and print figures against the issues' baselines.

Each bench/<domain>.py exposes run() -> list[str]; a domain may be named on the command line.
`--size 300k` or `--size 3m` (repeatable) picks the database sizes of the benchmarks whose run()
takes `sizes` (reporting); every size by default.
"""

import argparse
import importlib
import inspect
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run the selected benchmarks (all by default) and print their lines."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (all by default)")
    parser.add_argument("--size", action="append", dest="sizes", help="300k or 3m")
    options = parser.parse_args(argv)
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not info.name.startswith("_")
    )
    failed = False
    for name in names:
        if options.names and name not in options.names:
            continue
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        try:
            run = importlib.import_module(f"bench.{name}").run
            takes_sizes = "sizes" in inspect.signature(run).parameters
            for line in run(options.sizes) if takes_sizes else run():
                print(f"  {line}", flush=True)
        except Exception as exc:  # report and carry on with the other benchmarks
            failed = True
            print(f"  FAILED: {exc!r}", flush=True)
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
