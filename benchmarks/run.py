"""Run every benchmark (benchmarks/bench_*.py) one after another, each in its own process.

python benchmarks/run.py            # all
python benchmarks/run.py regions    # those whose name contains "regions"
"""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
wanted = sys.argv[1:]
failed = 0
for script in sorted(here.glob("bench_*.py")):
    if wanted and not any(w in script.stem for w in wanted):
        continue
    print(f"== {script.stem}", flush=True)
    failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
sys.exit(1 if failed else 0)
