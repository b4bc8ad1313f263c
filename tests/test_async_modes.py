"""run.py serves the board under each server loop bench/ compares: a real client joins and is acknowledged.

eventlet is the production loop (every other test runs on it); gevent and threading are started here
so the comparison in docs/performance.md cannot rot. No timing is asserted.
"""
import pytest

from conftest import ServerProcess, create_workshop
from realtime import BoardClient


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_run_py_serves_a_socket_and_acknowledges_a_move_in(mode, tmp_path):
    pytest.importorskip("simple_websocket" if mode == "threading" else mode)
    server = ServerProcess(tmp_path / f"{mode}.db", extra_args=["--no-demo", "--async-mode", mode]).start()
    try:
        workshop = create_workshop(server.url, participants=1)
        facilitator = BoardClient(server.url, workshop["admin_token"])
        person = BoardClient(server.url, workshop["participants"][0]["token"])
        try:
            assert facilitator.command("set_sequence", {"index": 1})["ok"]
            ack = person.command("move_card", {"card_id": "d01", "zone_id": "maintenance/techniques",
                                               "x": 0.25, "y": 0.5})
            assert ack["ok"], ack
            # The move reached the other socket of the board, as it does under eventlet.
            facilitator.wait_version(ack["version"])
            assert facilitator.replica.cards["d01"].zone == "maintenance/techniques"
        finally:
            person.close()
            facilitator.close()
    finally:
        server.stop()
    assert "Traceback" not in server.output(), server.output()[-3000:]
