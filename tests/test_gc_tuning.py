"""The server's collector walks its whole heap 10x less often than Python's default (no timing asserted).

A full collection over a server holding 1,000 sockets pauses it 100-350 ms (bench/bench_busy_day.py);
run.py makes them rarer at start and says so in its log.
"""
import gc

from board import serving


def full_collections_while_keeping(objects):
    """How many full (generation 2) collections run while `objects` containers are made and kept."""
    full = []

    def count(phase, info):
        if phase == "stop" and info["generation"] == 2:
            full.append(1)
    kept = []
    gc.collect()
    gc.callbacks.append(count)
    try:
        for n in range(objects):
            kept.append([n])  # a tracked container that survives, like a server's sockets and boards
    finally:
        gc.callbacks.remove(count)
    return len(full)


def test_full_collections_are_ten_times_rarer_after_tuning():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # Python's default
        default = full_collections_while_keeping(1_000_000)
        assert serving.tune_garbage_collector() == (serving.GC_YOUNG_THRESHOLD, 10, serving.FULL_COLLECTION_EVERY)
        assert serving.GC_YOUNG_THRESHOLD > 700 and serving.FULL_COLLECTION_EVERY >= 100
        tuned = full_collections_while_keeping(1_000_000)
    finally:
        gc.set_threshold(*before)
    assert default >= 4 and tuned < default / 3, (default, tuned)


def test_run_py_logs_the_collectors_thresholds(fresh_server):
    thresholds = (serving.GC_YOUNG_THRESHOLD, serving.GC_MIDDLE_THRESHOLD, serving.FULL_COLLECTION_EVERY)
    assert f"garbage collector thresholds: {thresholds}" in fresh_server(extra_args=["--no-demo"]).output()
