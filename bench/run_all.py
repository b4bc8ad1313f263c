"""Run every benchmark in bench/ and print their figures (see docs/performance.md)."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("bench_*.py")):
    subprocess.run([sys.executable, str(script)], check=True)
