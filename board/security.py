"""Who may talk to the server, and the headers every answer carries.

The origins a browser may open a socket from, and the names a secret page may be asked under, come
from the addresses the server announces (its public URL, 127.0.0.1 and localhost on its port, the
address it is bound to) and a setting, never from the request's own Host header: a DNS-rebinding
page at http://evil.example:5000 that resolves to this machine sends `Host: evil.example:5000` and
`Origin: http://evil.example:5000`, which agree with each other but with none of the server's names.
"""
import ipaddress
import json
import socket
from functools import lru_cache
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
ALL_INTERFACES = ("", "0.0.0.0", "::")
LOOPBACK_NAMES = ("127.0.0.1", "localhost")

# Forced on every answer, whoever made it (Flask, Socket.IO's polling, engine.io's own refusals).
ALWAYS = {
    "Referrer-Policy": "no-referrer",  # a secret link in the address bar never leaks to another site
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
FORCED = {name.lower() for name in ALWAYS}
# Set when the answer has none of its own: pages and answers may carry secrets (tokens, names,
# texts), so nothing is kept by a browser or a proxy unless the route says it may be (static files
# and the QR code say so).
BY_DEFAULT = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


def normalise_origin(text):
    """`scheme://host[:port]` in the form a browser sends as Origin (lowercase, no default port,
    no path), or None when `text` is not an http(s) origin ("null", a path, a user name...)."""
    if not isinstance(text, str):
        return None
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in DEFAULT_PORTS or not host or parts.username or parts.password \
            or parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    shown_host = f"[{host}]" if ":" in host else host
    shown_port = "" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}"
    return f"{scheme}://{shown_host}{shown_port}"


@lru_cache(maxsize=256)
def is_local_address(host):
    """Whether `host` is an IP address of this machine (a name is never): binding to it succeeds
    only on one of its own interfaces. No packet is sent."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if address.is_loopback:
        return True
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_DGRAM)
    try:
        probe.bind((host, 0))
        return True
    except OSError:
        return False
    finally:
        probe.close()


class ServerOrigins:
    """The origins the server answers as: those it announces and those the setting adds."""

    def __init__(self, public_url=None, host=None, port=None, extra=()):
        self.port = port
        # Bound to every interface: the server is as much at the address of a second network card
        # (the laptop's own hotspot) as at the one it printed, so its own IP addresses count too.
        self.any_interface = port is not None and host in ALL_INTERFACES
        announced = [public_url] if public_url else []
        if port is not None:
            names = [*LOOPBACK_NAMES, *([] if host in ALL_INTERFACES or host is None else [host])]
            announced += [f"http://{name}:{port}" for name in names]
        self.allowed = {normalise_origin(url) for url in announced} - {None}
        for origin in [extra] if isinstance(extra, str) else extra:
            normalised = normalise_origin(origin)
            if normalised is None:  # '*' included: every origin would defeat the check
                raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
            self.allowed.add(normalised)

    def allows(self, origin):
        """Whether a browser page from `origin` may use this server's sockets and secret pages."""
        normalised = normalise_origin(origin)
        if normalised is None:
            return False
        if normalised in self.allowed:
            return True
        parts = urlsplit(normalised)
        if self.port is None:  # not started by run.py (an embedded app): loopback only, any port
            return parts.hostname in LOOPBACK_NAMES or is_loopback_literal(parts.hostname)
        return (self.any_interface and parts.scheme == "http" and parts.port == self.port
                and is_local_address(parts.hostname))

    def allows_host(self, environ):
        """Whether the request was sent to one of the server's own names (its Host header)."""
        return self.allows(f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}")


def is_loopback_literal(host):
    """Whether `host` is a loopback IP address (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    """WSGI middleware around the whole app (Flask and Socket.IO): every answer gets the security
    headers, and Socket.IO is refused to a request sent under a name that is not the server's."""

    def __init__(self, app, origins, socket_path="/socket.io"):
        self.app, self.origins, self.socket_path = app, origins, socket_path

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = [(name, value) for name, value in headers if name.lower() not in FORCED]
            headers += ALWAYS.items()
            headers += [(name, value) for name, value in BY_DEFAULT.items() if name.lower() not in present]
            return start_response(status, headers, exc_info)

        if environ.get("PATH_INFO", "").startswith(self.socket_path) and not self.origins.allows_host(environ):
            # A polling handshake carries no Origin (a same-origin GET): the Host is all there is to check.
            body = json.dumps(misdirected()).encode("utf-8")
            start_with_headers("421 Misdirected Request", [("Content-Type", "application/json"),
                                                           ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_with_headers)


def misdirected():
    """The refusal of a request sent under a name that is not the server's."""
    return {"ok": False, "code": "forbidden",
            "message": "This server does not answer under that address; open the link the facilitator shared."}
