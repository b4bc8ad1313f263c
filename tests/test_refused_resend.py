"""A refused command changed nothing, so resending it decides it again against the board as it is
then, in the same run or after a restart; an accepted one is never applied twice (docs/protocol.md,
Idempotency). Real eventlet servers on one SQLite file, real clients."""
from conftest import create_workshop
from realtime import BoardClient

MAINTENANCE = "maintenance/techniques"
MOVE = {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5}


def test_a_refused_command_resent_is_decided_again_before_and_after_a_restart(fresh_server):
    first = fresh_server(extra_args=["--no-demo"])
    workshop = create_workshop(first.url, participants=1)
    facilitator = BoardClient(first.url, workshop["admin_token"])
    person = BoardClient(first.url, workshop["participants"][0]["token"])
    try:
        # Découverte: nothing moves. Two moves refused, each with its own id.
        assert person.command("move_card", MOVE, command_id="early-1")["code"] == "sequence_closed"
        assert person.command("move_card", {**MOVE, "card_id": "d02"}, command_id="early-2")["code"] \
            == "sequence_closed"
        assert person.command("move_card", MOVE, command_id="early-1")["code"] == "sequence_closed"  # still
        assert facilitator.command("set_sequence", {"index": 1})["ok"]
        # Same run: the first one resent now that moves are open is accepted, once.
        accepted = person.command("move_card", MOVE, command_id="early-1")
        assert accepted["ok"]
        assert person.command("move_card", MOVE, command_id="early-1") == accepted
    finally:
        facilitator.close()
        person.close()
    first.stop()

    second = fresh_server(extra_args=["--no-demo"])
    person = BoardClient(second.url, workshop["participants"][0]["token"])
    try:
        version = person.state()["version"]
        assert version == accepted["version"]
        # The accepted one resent after the restart: its first answer, not applied again.
        assert person.command("move_card", MOVE, command_id="early-1") == accepted
        # The one refused before the restart: decided again, and the sequence allows it now.
        again = person.command("move_card", {**MOVE, "card_id": "d02"}, command_id="early-2")
        assert again == {"ok": True, "version": version + 1}
        cards = {c["id"]: c for c in person.state()["cards"]}
        assert cards["d01"]["zone"] == cards["d02"]["zone"] == MAINTENANCE
    finally:
        person.close()
