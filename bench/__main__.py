"""``make bench``: every benchmark, each in its own process (each sets up its own database)."""

import subprocess
import sys

BENCHMARKS = [
    "bench.guidance_bench",
    "bench.episodes_bench",
    "bench.clinicians_bench",
    "bench.reminders_bench",
]

if __name__ == "__main__":
    failed = 0
    for module in BENCHMARKS:
        print(f"\n== {module}", flush=True)
        failed |= subprocess.call([sys.executable, "-m", module])
    sys.exit(failed)
