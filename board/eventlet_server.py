"""The production server loop: eventlet's WSGI server behind an accept loop that survives crowds.

eventlet.wsgi.server ends its accept loop on the first accept error it does not expect, EMFILE
included (out of file descriptors): the server then stops taking connections for good. Its green
thread pool also caps connections at 1024 silently, and a socket that never speaks holds its
descriptor for ever. Here the accept loop is ours:
- an accept error for lack of descriptors is logged and retried a moment later; the clients
  already connected keep being served, and new ones are taken again when descriptors come back;
- a connection over the server's total or over its address's cap is refused at once (a 503);
- a connection that has not sent one complete request within `first_request_seconds` is closed;
- every refusal is said in the log, one line per interval (serving.RefusalReport).
Connections are then handled by eventlet's own HttpProtocol, unchanged.
"""
import errno
import logging
from collections import Counter

import eventlet
import eventlet.greenio
import eventlet.websocket
import eventlet.wsgi

from . import fanout
from .serving import RefusalReport

log = logging.getLogger("atelier.serving")

# accept() fails with these when the process or the system is out of descriptors or memory; the
# pending connections wait in the listen backlog meanwhile.
OUT_OF_DESCRIPTORS = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
# accept() fails with these when a client gave up before being taken: nothing to do.
CLIENT_GAVE_UP = {errno.ECONNABORTED, errno.ECONNRESET, errno.EPIPE, errno.ENOTCONN, errno.EPROTO,
                  errno.ETIMEDOUT}
ACCEPT_PAUSE_SECONDS = 0.1  # while out of descriptors: the backlog stays readable, so do not spin

REFUSAL_BODY = b"Too many connections; retry in a few seconds.\n"
REFUSAL = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\nCache-Control: no-store\r\n"
           b"X-Content-Type-Options: nosniff\r\nContent-Type: text/plain; charset=utf-8\r\n"
           b"Content-Length: %d\r\n\r\n%s" % (len(REFUSAL_BODY), REFUSAL_BODY))


class FirstRequestLate(Exception):
    """A new connection sent no complete request in time."""


class _GuardedProtocol(eventlet.wsgi.HttpProtocol):
    """eventlet's protocol; the first request's deadline ends once its request line and headers are in."""

    def parse_request(self):
        parsed = super().parse_request()
        deadline = self.conn_state[3]
        if deadline is not None:
            deadline.cancel()
            self.conn_state[3] = None
        return parsed


class GuardedServer(eventlet.wsgi.Server):
    """eventlet's WSGI server with a deadline on each connection's first request."""

    def __init__(self, listener, app, limits, report, log_stream):
        super().__init__(listener, listener.getsockname(), app, log=log_stream, log_output=True,
                         protocol=_GuardedProtocol, max_http_version=eventlet.wsgi.DEFAULT_MAX_HTTP_VERSION,
                         keepalive=limits.keepalive_seconds,
                         debug=False)  # a failure's traceback goes to the log, never to the client
        self.limits, self.report = limits, report

    def process_request(self, conn_state):
        """Serve one connection, closing it if its first request does not come in time."""
        deadline = eventlet.Timeout(self.limits.first_request_seconds, FirstRequestLate)
        conn_state.append(deadline)
        try:
            super().process_request(conn_state)
        except FirstRequestLate:
            conn_state[1].close()
            self.report.refused(f"closed: no complete request within {self.limits.first_request_seconds:g} s",
                                conn_state[0][0])
        finally:
            deadline.cancel()


def serve(listener, app, limits, descriptor_limit, log_stream):
    """Serve `app` on `listener` for ever (until Ctrl+C), within `limits`."""
    fanout.install(eventlet.patcher.original("socket").socket)  # broadcasts written at once (board/fanout.py)
    eventlet.websocket.RFC6455WebSocket._apply_mask = staticmethod(fanout.unmask)  # a frame unmasked at once
    report = RefusalReport(schedule=eventlet.spawn_after, interval=limits.refusal_log_seconds)
    server = GuardedServer(listener, app, limits, report, log_stream)
    total = limits.total(descriptor_limit)
    pool = eventlet.GreenPool(total + 1)
    per_address = Counter()
    log.info("serving up to %d connections at once, %d per address; a new connection has %g s to send"
             " its first request", total, limits.per_address, limits.first_request_seconds)

    def finished(_thread, conn_state):
        host = conn_state[0][0]
        per_address[host] -= 1
        if per_address[host] <= 0:
            del per_address[host]
        conn_state[2] = eventlet.wsgi.STATE_CLOSE
        eventlet.greenio.shutdown_safe(conn_state[1])  # whatever ended the thread, free the descriptor
        conn_state[1].close()

    while True:
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno in OUT_OF_DESCRIPTORS:
                report.refused(f"accept() failures for lack of file descriptors ({error.strerror}, limit "
                               f"{descriptor_limit}): new connections wait in the backlog meanwhile")
                eventlet.sleep(ACCEPT_PAUSE_SECONDS)
                continue
            if error.errno in CLIENT_GAVE_UP:
                continue
            raise
        except KeyboardInterrupt:
            listener.close()
            raise
        host = address[0]
        if pool.running() >= total:
            _refuse(client)
            report.refused(f"refused: the server holds its maximum of {total} connections", host)
            continue
        if per_address[host] >= limits.per_address:
            _refuse(client)
            report.refused(f"refused: over the cap of {limits.per_address} connections per address", host)
            continue
        per_address[host] += 1
        conn_state = [address, client, eventlet.wsgi.STATE_IDLE]
        pool.spawn(server.process_request, conn_state).link(finished, conn_state)


def _refuse(client):
    """Tell a refused client why in one write that never waits, and close."""
    try:
        client.setblocking(False)
        client.send(REFUSAL)
    except OSError:
        pass  # its buffer is full or it is gone: closing says enough
    finally:
        client.close()
