"""Webhook receivers run by the tests on loopback: threaded HTTPS servers with a certificate made
for the test (the worker trusts it through the client it is given), each answering as a test
tells it — healthy, failing a number of times, hanging until released, verifying signatures — or
dripping its answer a byte at a time; and a DNS the tests write, which may change its answers."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore
import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from api.integration.webhooks.worker import http_client
from api.settings import Settings


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, localhost and the names of `PUBLIC` (a test's
    DNS may point them at a receiver): (certificate, key) files, made once per directory (every
    receiver of a test shares it)."""
    cert_file, key_file = directory / "receiver.pem", directory / "receiver.key"
    if cert_file.exists():
        return cert_file, key_file
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "maillage test receiver")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    *(x509.DNSName(name) for name in PUBLIC),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


# A handler's answer: (status, body) for one request.
Answer = Callable[[Received], int]


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    answer: Answer = lambda _: 200
    release: threading.Event = field(default_factory=threading.Event)  # for hanging receivers
    headers: dict[str, str] = field(default_factory=dict)  # sent with every answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return int(self.url.split(":")[2].split("/")[0])

    def ids(self) -> list[str]:
        with self.lock:
            return [r.headers["webhook-id"] for r in self.received]


def server_context(tmp_path: Path) -> ssl.SSLContext:
    """A receiver's TLS context, with the test's certificate."""
    cert_file, key_file = make_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


@contextmanager
def receiver(tmp_path: Path, answer: Answer | None = None) -> Iterator[Receiver]:
    """An HTTPS receiver on 127.0.0.1, recording what it receives and answering `answer`."""
    context = server_context(tmp_path)
    state = Receiver(url="")
    if answer is not None:
        state.answer = answer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            got = Received(
                self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length)
            )
            with state.lock:
                state.received.append(got)
            status = state.answer(got)
            self.send_response(status)
            self.send_header("content-length", "0")
            for name, value in state.headers.items():
                self.send_header(name, value)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.url = f"https://127.0.0.1:{server.server_address[1]}/hooks/maillage"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def trusting(tmp_path: Path) -> ssl.SSLContext:
    """A client's TLS context trusting the receivers' test certificate (and nothing else)."""
    make_certificate(tmp_path)
    return ssl.create_default_context(cafile=str(tmp_path / "receiver.pem"))


def trusting_client(settings: Settings, tmp_path: Path) -> httpx.Client:
    """The worker's client, trusting the receivers' test certificate."""
    return http_client(settings, verify=trusting(tmp_path))


@contextmanager
def dripping(tmp_path: Path, interval: float) -> Iterator[str]:
    """An HTTPS receiver on loopback that answers one byte of its status line every
    `interval` seconds, for as long as it is listened to; its URL."""
    context = server_context(tmp_path)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(raw, server_side=True) as conn:
                    conn.recv(65536)
                    for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Drip: " + b"x" * 10_000:
                        if stop.wait(interval):
                            return
                        conn.sendall(bytes([byte]))
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


# A public name and address of the tests' DNS: nothing listens there (tests never reach it).
PUBLIC = {"hooks.example.org": "93.184.215.14"}
PUBLIC_ADDRESS = PUBLIC["hooks.example.org"]


class FakeDNS:
    """A resolver the tests write: `answers[host]` is what `host` resolves to; `then[host]`,
    if set, what it resolves to from the second question on (a rebinding DNS). Unknown names
    do not resolve. Records every question."""

    def __init__(
        self,
        answers: dict[str, Sequence[str]] | None = None,
        then: dict[str, Sequence[str]] | None = None,
    ) -> None:
        self.answers: dict[str, Sequence[str]] = {n: [a] for n, a in PUBLIC.items()}
        self.answers.update(answers or {})
        self.then = dict(then or {})
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        first = host not in self.asked
        self.asked.append(host)
        if not first and host in self.then:
            return list(self.then[host])
        if host not in self.answers:
            raise OSError("no such host")
        return list(self.answers[host])


class Network(httpcore.NetworkBackend):
    """The sockets under the worker's guard: records every address it is asked to connect
    to; a public one (elsewhere on the internet, out of the tests' reach) refuses, a loopback
    one is connected to for real."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []
        self._real = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        self.asked.append((host, port))
        if not ipaddress.ip_address(host).is_loopback:
            raise httpcore.ConnectError("a public host is out of the tests' reach")
        return self._real.connect_tcp(host, port, timeout, local_address, socket_options)
