"""run.py with a timing probe on each stage of a durable command, for bench_drop.py --trace (bench only).

    STAGE_TRACE=TRACE.json python bench/stage_probe.py [run.py's arguments]

Starts the server exactly as run.py does, after wrapping (in this process only, never in the
repository's server) the few functions a command passes through, and notes when each stage happened
on time.perf_counter (CLOCK_MONOTONIC, the clock the load generators read):
- read: its frame read off the websocket (Engine.IO), named by the command's id;
- submit: the handler hands it to the board's room;
- batch: the room's one writer starts the batch holding it (the batch's size beside);
- store_call / thread_start / thread_end / store_return: the commit handed to the thread pool, run
  there (SQLite's transaction and its fsync), and the green thread given control back;
- ack_queued / ack_sent: its acknowledgement put on the socket's queue, then written by the writer;
- publish_start / publish_end: the broadcast of its commit begun and every socket's frame queued;
- event_first / event_last: the first and the last socket's frame carrying it written.
Beside them, the event loop's lateness (a green thread asking to wake every millisecond; each wake
over 2 ms late noted) and every collection of the garbage collector over 1 ms.
SIGTERM (how the benchmarks stop a server) writes TRACE.json and exits.
"""
import gc
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMAND_ID = re.compile(r'"(?:id|command_id)":\s*"(m[0-9]+-[0-9]+)"')
ACK_VERSION = re.compile(r'^43\d+\[\{.*"version":\s*(\d+)')
EVENT_FRAME = re.compile(r'^42\["events?"')
LATE = 0.002  # a wake this much after its time is noted
clock = time.perf_counter
stages = {}  # command id -> {stage: instant}
by_version = {}  # version -> command id
loop_late = []  # (instant, seconds late)
collections = []  # (instant it ended, generation, seconds)


def note(command_id, stage, at=None, first=True):
    if command_id is None:
        return
    record = stages.setdefault(command_id, {})
    if not first or stage not in record:
        record[stage] = at if at is not None else clock()


def install():
    """Wrap the stages' functions (after eventlet's monkey patching, before the server serves)."""
    import eventlet
    from eventlet import websocket
    import engineio.socket
    import board
    from board import fanout, room as room_module, sockets, store as store_module

    receive = engineio.socket.Socket.receive

    def receive_noted(self, pkt):
        if isinstance(pkt.data, str) and "command" in pkt.data:
            for command_id in COMMAND_ID.findall(pkt.data)[:1]:
                note(command_id, "read")
        return receive(self, pkt)
    engineio.socket.Socket.receive = receive_noted

    queue_send = engineio.socket.Socket.send

    def send_noted(self, pkt):
        if isinstance(pkt.data, str) and pkt.data.startswith("3"):
            found = ACK_VERSION.match("4" + pkt.data)
            if found:
                note(by_version.get(int(found.group(1))), "ack_queued")
        return queue_send(self, pkt)
    engineio.socket.Socket.send = send_noted

    ws_send = websocket.RFC6455WebSocket.send

    def ws_send_noted(self, message, *args, **kwargs):
        result = ws_send(self, message, *args, **kwargs)
        if isinstance(message, str):
            now = clock()
            if message.startswith("43"):
                found = ACK_VERSION.match(message)
                if found:
                    note(by_version.get(int(found.group(1))), "ack_sent", now)
            elif EVENT_FRAME.match(message):
                for command_id in set(COMMAND_ID.findall(message)):
                    note(command_id, "event_first", now)
                    note(command_id, "event_last", now, first=False)
        return result
    websocket.RFC6455WebSocket.send = ws_send_noted

    deliver = fanout._deliver

    read_packet = {}  # the packet last delivered -> (its ack's command id, its events' command ids)

    def deliver_noted(server, eio_sid, packet, frame, spawn):
        result = deliver(server, eio_sid, packet, frame, spawn)
        if not isinstance(packet.data, str):
            return result
        now = clock()  # a frame written at once (or queued: then noted again when sent)
        if read_packet.get("packet") is not packet:  # a broadcast's packet is read once, not per socket
            message, acked, carried = "4" + packet.data, None, ()
            if message.startswith("43"):
                found = ACK_VERSION.match(message)
                acked = by_version.get(int(found.group(1))) if found else None
            elif EVENT_FRAME.match(message):
                carried = set(COMMAND_ID.findall(message))
            read_packet.update(packet=packet, acked=acked, carried=carried)
        note(read_packet["acked"], "ack_sent", now)
        for command_id in read_packet["carried"]:
            note(command_id, "event_first", now)
            note(command_id, "event_last", now, first=False)
        return result
    fanout._deliver = deliver_noted

    submit = room_module.Room.submit

    def submit_noted(self, actor, command, command_id=None, credential=None, reply=None):
        note(command_id, "submit")
        return submit(self, actor, command, command_id, credential, reply)
    room_module.Room.submit = submit_noted

    write_batch = room_module.Room._write_batch

    def write_batch_noted(self, batch, *args, **kwargs):
        now = clock()
        for ticket in batch:
            note(ticket.command_id, "batch", now)
        try:
            return write_batch(self, batch, *args, **kwargs)
        finally:
            for ticket in batch:  # with what the room gathered meanwhile
                stages.setdefault(ticket.command_id, {})["batch_size"] = len(batch)
                if ticket.event is not None:
                    by_version[ticket.event.version] = ticket.command_id

    room_module.Room._write_batch = write_batch_noted

    append = store_module.Store.append

    def append_noted(self, board_id, events, *args, **kwargs):
        ids = [e.command_id for e in events]
        for e in events:
            by_version[e.version] = e.command_id
        run_blocking = self._run_blocking

        def in_thread(fn, *fn_args):
            def timed(*a):
                started = clock()
                try:
                    return fn(*a)
                finally:
                    ended = clock()
                    for command_id in ids:
                        note(command_id, "thread_start", started)
                        note(command_id, "thread_end", ended)
            now = clock()
            for command_id in ids:
                note(command_id, "store_call", now)
            return run_blocking(timed, *fn_args)
        self._run_blocking = in_thread
        try:
            return append(self, board_id, events, *args, **kwargs)
        finally:
            self._run_blocking = run_blocking
            now = clock()
            for command_id in ids:
                note(command_id, "store_return", now)
    store_module.Store.append = append_noted

    publish = sockets.publish

    def publish_noted(services, board_id, events):
        now = clock()
        for e in events:
            note(e.command_id, "publish_start", now)
        try:
            return publish(services, board_id, events)
        finally:
            now = clock()
            for e in events:
                note(e.command_id, "publish_end", now)
    sockets.publish = board.publish = publish_noted  # board/__init__ calls its own import of it

    def watch_loop():
        while True:
            wanted = clock() + 0.001
            eventlet.sleep(0.001)
            late = clock() - wanted
            if late > LATE:
                loop_late.append((round(wanted, 6), round(late, 6)))
    eventlet.spawn(watch_loop)

    started = {}

    def collector(phase, info):
        if phase == "start":
            started["at"] = clock()
        elif "at" in started:
            took = clock() - started.pop("at")
            if took > 0.001:
                collections.append((round(clock(), 6), info["generation"], round(took, 6)))
    gc.callbacks.append(collector)


def experiment(names):
    """Variants tried against the code as it is, named in STAGE_EXPERIMENT (comma-separated), so that a
    suspect is measured before the code is changed: "hub_commit" commits on the event loop (no thread
    pool), "switch" makes the interpreter hand the GIL over every 0.5 ms instead of 5."""
    if "hub_commit" in names:
        from eventlet import tpool
        tpool.execute = lambda fn, *args: fn(*args)
    if "switch" in names:
        sys.setswitchinterval(0.0005)


def dump(path):
    Path(path).write_text(json.dumps({"stages": stages, "loop_late": loop_late, "collections": collections}))


def main():
    trace_path, argv = os.environ["STAGE_TRACE"], sys.argv[1:]
    import warnings
    warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
    import eventlet
    eventlet.monkey_patch()  # as run.py does first (it does it again: once is all it takes)
    install()
    experiment(os.environ.get("STAGE_EXPERIMENT", ""))

    def stop(*_):
        dump(trace_path)
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    import run
    run.main(argv)
    dump(trace_path)


if __name__ == "__main__":
    main()
