"""Run every benchmark of orderdesk and print its figures.

The audit benchmark needs the PostgreSQL server at 127.0.0.1:5432; the others run on SQLite.
"""

import subprocess
import sys
from pathlib import Path

BENCHMARKS_DIR = Path(__file__).resolve().parent
SCRIPTS = ["charges.py", "audit.py"]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        path = BENCHMARKS_DIR / script
        print(f"== {script}", flush=True)
        if subprocess.run([sys.executable, str(path)], check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
