"""``make bench``: every benchmark, each in its own process with its own throwaway PostgreSQL
database, then one table of every ratio with its target and PASS or FAIL."""

import os
import subprocess
import sys

BENCHMARKS = [
    "bench.episodes_bench",
    "bench.scale_bench",
    "bench.clinicians_bench",
    "bench.guidance_bench",
    "bench.reminders_bench",
    "bench.load_bench",
]
VERDICTS = ("RATIO ", "EXPLAIN ", "CHECK ")

if __name__ == "__main__":
    only = sys.argv[1:]
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": os.environ.get("CELERY_TASK_ALWAYS_EAGER", "0")}
    failed = 0
    table = []
    for module in BENCHMARKS:
        if only and module.removeprefix("bench.") not in only:
            continue
        print(f"\n== {module}", flush=True)
        process = subprocess.Popen([sys.executable, "-m", module], stdout=subprocess.PIPE, text=True, env=env)
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.startswith(VERDICTS):
                table.append(line.rstrip())
        failed |= process.wait()
    print("\n== every ratio and check, with its target")
    print("\n".join(table))
    failures = sum(line.endswith("FAIL") for line in table)
    print(f"\n{len(table) - failures} PASS, {failures} FAIL")
    sys.exit(failed or bool(failures))
