"""Fixtures for import tests: a home page, export files on disk, the commands run as a person
would, a local image server, and a guard that fails any connection beyond 127.0.0.1."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from paddock.newsroom.tests.factories import site_tree

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def home(db):
    return site_tree()


@pytest.fixture
def export_file(tmp_path):
    def write(text: str, name: str = "export.xml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def run_command(name: str, *args: str, verbosity: int = 1) -> Result:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err, verbosity=verbosity)
    except CommandError as exc:
        return Result(exc.returncode, out.getvalue(), err.getvalue() + str(exc))
    return Result(0, out.getvalue(), err.getvalue())


@pytest.fixture
def run_import():
    return run_command


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The test image server is on 127.0.0.1; in production only public hosts are fetched.
    settings.PADDOCK_IMPORT_DOWNLOAD_PRIVATE_HOSTS = True
    settings.PADDOCK_IMPORT_DOWNLOAD_TIMEOUT = 2.0


def _is_ip(host: str) -> bool:
    """A literal address: looking it up sends nothing anywhere."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass
class NetworkGuard:
    attempts: list[str]


@pytest.fixture(autouse=True)
def network_guard(monkeypatch) -> NetworkGuard:
    """Any lookup or connection to a host other than loopback fails and is recorded."""
    guard = NetworkGuard(attempts=[])
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def getaddrinfo(host, *args, **kwargs):
        if str(host) not in LOOPBACK and not _is_ip(str(host)):
            guard.attempts.append(f"lookup {host}")
            raise socket.gaierror(f"tests resolve loopback only, not {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        if str(address[0]) not in LOOPBACK:
            guard.attempts.append(f"connect {address[0]}")
            raise ConnectionRefusedError(f"tests connect to loopback only, not {address[0]}")
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return guard


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


@dataclass
class ImageServer:
    base: str
    files: dict[str, tuple[str, bytes]]
    requests: list[str]

    def url(self, path: str) -> str:
        return self.base + path


@contextlib.contextmanager
def serve_images() -> Iterator[ImageServer]:
    """An HTTP server on 127.0.0.1 in a thread, serving `files` (path → (type, bytes))."""
    files: dict[str, tuple[str, bytes]] = {
        "/wp-content/uploads/2012/04/red-car.png": ("image/png", image_bytes("PNG")),
        "/wp-content/uploads/2012/04/blue-car.jpg": ("image/jpeg", image_bytes("JPEG")),
        "/wp-content/uploads/2012/04/page.html": ("text/html", b"<html>not an image</html>"),
        "/wp-content/uploads/2012/04/fake.png": ("image/png", b"\x89PNG but not really"),
        "/wp-content/uploads/2012/04/huge.png": ("image/png", image_bytes("PNG", (1200, 1200))),
    }
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            if self.path == "/redirect-out":
                self.send_response(302)
                self.send_header("Location", "http://192.0.2.1/x.png")
                self.end_headers()
                return
            found = files.get(self.path)
            if found is None:
                self.send_error(404)
                return
            content_type, data = found
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ImageServer(f"http://127.0.0.1:{server.server_address[1]}", files, requests)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def image_server():
    with serve_images() as server:
        yield server


def free_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once. It stands for a host
    that cannot be reached, so no test ever sends a packet beyond this machine."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    return free_port()
