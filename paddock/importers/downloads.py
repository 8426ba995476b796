"""Fetching a WordPress attachment, guarded: only images, only so big, only from hosts that are
allowed, never for long.

An export names URLs on the old site; a crafted one could name anything, so every address a
download would connect to (after each redirect too) is checked first: public addresses only,
unless `PADDOCK_IMPORT_DOWNLOAD_PRIVATE_HOSTS` is set (tests serve images from 127.0.0.1). A
host that fails a few times in a row is given up on for the rest of the run, so a dead old site
costs seconds, not hours.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from PIL import Image

from .convert import file_name

# Image formats Pillow may report, and the extension Wagtail accepts for each.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
USER_AGENT = "Paddock-importer/1.0 (+https://github.com/paddock)"


class DownloadFailed(Exception):
    """Why an attachment was not downloaded (it is kept as a link to its URL)."""


@dataclass
class Downloaded:
    data: bytes
    filename: str


@dataclass
class Downloader:
    max_bytes: int = 0
    timeout: float = 0
    allow_private: bool | None = None
    give_up_after: int = 3
    _failures: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.max_bytes = self.max_bytes or getattr(
            settings, "PADDOCK_IMPORT_DOWNLOAD_MAX_BYTES", 20 * 1024 * 1024
        )
        self.timeout = self.timeout or getattr(settings, "PADDOCK_IMPORT_DOWNLOAD_TIMEOUT", 5.0)
        if self.allow_private is None:
            self.allow_private = getattr(settings, "PADDOCK_IMPORT_DOWNLOAD_PRIVATE_HOSTS", False)

    def fetch_image(self, url: str) -> Downloaded:
        """The image at `url`, checked with Pillow; raises DownloadFailed with the reason."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise DownloadFailed("not an http(s) URL")
        if self._failures.get(host, 0) >= self.give_up_after:
            raise DownloadFailed(f"{host} did not answer the last {self.give_up_after} times")
        self.check_host(host, parts.port or (443 if parts.scheme == "https" else 80))
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), _CheckedRedirects(self)
        )
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get_content_type()
                if not content_type.startswith("image/"):
                    raise DownloadFailed(f"the server sent {content_type}, not an image")
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise DownloadFailed(
                        f"{int(length):,} bytes, over the {self.max_bytes:,} limit"
                    )
                data = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as exc:
            self._failures.pop(host, None)  # it answered
            raise DownloadFailed(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            self._failures[host] = self._failures.get(host, 0) + 1
            reason = getattr(exc, "reason", exc)
            raise DownloadFailed(f"unreachable ({reason})") from exc
        self._failures.pop(host, None)
        if len(data) > self.max_bytes:
            raise DownloadFailed(f"over the {self.max_bytes:,} byte limit")
        extension = _verified_format(data)
        name = file_name(url).rsplit(".", 1)[0][:80] or "attachment"
        return Downloaded(data=data, filename=f"{name}.{extension}")

    def check_host(self, host: str, port: int) -> None:
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=6)}
        except (OSError, UnicodeError) as exc:
            raise DownloadFailed(f"{host} does not resolve") from exc
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global and not self.allow_private:
                raise DownloadFailed(f"{host} is not a public address ({ip})")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 3

    def __init__(self, downloader: Downloader) -> None:
        self.downloader = downloader

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parts = urlsplit(newurl)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DownloadFailed(f"redirected to {newurl!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        self.downloader.check_host(parts.hostname, port)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _verified_format(data: bytes) -> str:
    try:
        with Image.open(BytesIO(data)) as image:
            image_format = image.format
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for broken or hostile files
        raise DownloadFailed(f"not a valid image ({exc.__class__.__name__})") from exc
    if image_format not in FORMATS:
        raise DownloadFailed(f"{image_format} images are not accepted")
    return FORMATS[image_format]
