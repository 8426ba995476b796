"""Attachments are fetched only from allowed hosts, only as valid images, never for long; what
cannot be fetched stays a link. No test sends a packet beyond 127.0.0.1."""

from __future__ import annotations

import pytest
from wagtail.images import get_image_model

from paddock.importers.downloads import Downloader, DownloadFailed
from paddock.importers.models import ImportedObject

from .builders import Author, Post, wxr

UPLOADS = "/wp-content/uploads/2012/04/"


def test_a_reachable_image_is_downloaded(image_server):
    got = Downloader(allow_private=True).fetch_image(image_server.url(UPLOADS + "blue-car.jpg"))
    assert got.filename == "blue-car.jpg" and got.data[:2] == b"\xff\xd8"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("page.html", "the server sent text/html, not an image"),
        ("fake.png", "not a valid image"),
        ("huge.png", "over the 2,000 limit"),
        ("missing.png", "HTTP 404"),
    ],
)
def test_what_is_refused(image_server, name, reason):
    with pytest.raises(DownloadFailed, match=reason):
        Downloader(allow_private=True, max_bytes=2_000).fetch_image(
            image_server.url(UPLOADS + name)
        )


def test_an_unreachable_host_is_given_up_on(closed_port, network_guard):
    downloader = Downloader(allow_private=True, timeout=1)
    url = f"http://127.0.0.1:{closed_port}/a.png"
    for _ in range(3):
        with pytest.raises(DownloadFailed, match="unreachable"):
            downloader.fetch_image(url)
    with pytest.raises(DownloadFailed, match="did not answer the last 3 times"):
        downloader.fetch_image(url)


def test_private_and_reserved_addresses_are_refused_without_connecting(network_guard, settings):
    settings.PADDOCK_IMPORT_DOWNLOAD_PRIVATE_HOSTS = False
    downloader = Downloader()
    for url in ("http://192.0.2.1/a.png", "http://127.0.0.1/a.png", "http://10.0.0.8/a.png"):
        with pytest.raises(DownloadFailed, match="is not a public address"):
            downloader.fetch_image(url)
    with pytest.raises(DownloadFailed, match="not an http"):
        downloader.fetch_image("file:///etc/passwd")
    assert network_guard.attempts == []


def test_a_redirect_is_checked_like_the_first_address(image_server, network_guard, monkeypatch):
    downloader = Downloader(allow_private=True)
    real_check = downloader.check_host

    def check_host(host: str, port: int) -> None:
        if host != "127.0.0.1":
            raise DownloadFailed(f"{host} is not a public address")
        real_check(host, port)

    monkeypatch.setattr(downloader, "check_host", check_host)
    with pytest.raises(DownloadFailed, match="192.0.2.1 is not a public address"):
        downloader.fetch_image(image_server.url("/redirect-out"))
    assert network_guard.attempts == []


@pytest.mark.django_db
def test_attachments_kept_as_links_when_unreachable(home, image_server, closed_port, export_file,
                                                    run_import, network_guard):  # fmt: skip
    dead = f"http://127.0.0.1:{closed_port}"
    items = [
        Post(1, title="Gallery", creator="mara", content='[gallery ids="7,8"]'),
        Post(7, type="attachment", status="inherit", title="Red",
             attachment_url=image_server.url(UPLOADS + "red-car.png")),
        Post(8, type="attachment", status="inherit", title="Gone",
             attachment_url=f"{dead}{UPLOADS}gone.png"),
    ]  # fmt: skip
    text = wxr(authors=[Author(2, "mara", "m@oldsite.example")], items=items)
    result = run_import("import_wordpress", export_file(text))
    assert result.code == 0, result.out
    assert "attachment 8" in result.out and "not downloaded, unreachable" in result.out
    image = get_image_model().objects.get()
    assert image.title == "Red"
    body = str(ImportedObject.objects.get(kind="post").content_type.get_object_for_this_type(
        pk=ImportedObject.objects.get(kind="post").object_id
    ).body)  # fmt: skip
    assert f'id="{image.pk}"' in body and f'href="{dead}{UPLOADS}gone.png"' in body
    assert network_guard.attempts == []
