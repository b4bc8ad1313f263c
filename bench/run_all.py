"""Run every benchmark in bench/ and print their figures (see docs/performance.md).

--quick runs only the side-by-side drag benchmark in its quick mode (under 2 minutes)."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if "--quick" in sys.argv[1:]:
    subprocess.run([sys.executable, str(HERE / "bench_drag.py"), "--quick"], check=True, timeout=300)
else:
    for script in sorted(HERE.glob("bench_*.py")):
        subprocess.run([sys.executable, str(script)], check=True)
