"""After start-up the server takes its long-lived objects out of the collector's walks (issue 13:
generation-2 pauses of 39-61 ms landed in the drop latency's tail). No timing asserted. (How often
it collects: tests/test_gc_tuning.py.)"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, json, sys
from board import create_app
from board.startup import settle_memory
create_app({"DATABASE": sys.argv[1]})
before = gc.get_freeze_count()
settle_memory()
frozen = gc.get_freeze_count()
gc.collect()
print(json.dumps({"before": before, "frozen": frozen, "after_a_collection": gc.get_freeze_count()}))
"""


def test_start_up_objects_are_frozen_out_of_every_collection(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "a.db")], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    probe = json.loads(out.strip().splitlines()[-1])
    assert probe["before"] == 0 and probe["frozen"] > 10_000  # the app, its modules and boards
    assert probe["after_a_collection"] == probe["frozen"]  # a full collection does not thaw them
