"""The site's public address, written onto Wagtail's default Site.

Wagtail's installer leaves a default Site on `localhost:80`, and Wagtail builds every page URL
from it: the sitemap, canonical and feed links, JSON-LD and the links in emails. The site itself
is served somewhere else (`make run`: http://127.0.0.1:8000/). `BASE_URL` names that address
once; `PADDOCK_PUBLIC_URL` (settings.py) is BASE_URL when it is set, and empty otherwise, which
leaves the Site as an editor set it in the admin.

The address is put on the Site after every `migrate` (a post_migrate receiver, so an existing
site is corrected on its next deploy), by `load_demo`, and on demand with
`manage.py site_address`. Only Wagtail's own model is touched: core knows no domain app.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Address:
    hostname: str
    port: int

    @property
    def root_url(self) -> str:
        if self.port == 80:
            return f"http://{self.hostname}"
        if self.port == 443:
            return f"https://{self.hostname}"
        return f"http://{self.hostname}:{self.port}"


def address_parse(url: str) -> Address:
    """The hostname and port of an absolute http(s) URL such as BASE_URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"BASE_URL must be an absolute http or https address such as "
            f"https://news.example.com or http://127.0.0.1:8000, not {url!r}."
        )
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"BASE_URL {url!r} has no valid port: {error}") from None
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    if parts.scheme == "https" and port != 443:
        # Wagtail's Site writes every port but 443 as http://host:port.
        raise ImproperlyConfigured(
            f"BASE_URL {url!r}: Wagtail can name an https site only on port 443; serve it "
            "there (behind a proxy) or use http for a site on another port."
        )
    return Address(hostname=parts.hostname, port=port)


def public_address() -> Address | None:
    """The address BASE_URL names, or None when it is not set."""
    url = getattr(settings, "PADDOCK_PUBLIC_URL", "")
    return address_parse(url) if url else None


def site_address_set(*, address: Address, using: str = "default") -> bool:
    """Give the default Wagtail Site `address`; True when it changed. Another Site already on
    that hostname and port is left alone and the default one is not moved onto it."""
    from wagtail.models import Site

    site = (
        Site.objects.using(using).filter(is_default_site=True).first()
        or Site.objects.using(using).order_by("pk").first()
    )
    if site is None or (site.hostname, site.port) == (address.hostname, address.port):
        return False
    taken = (
        Site.objects.using(using)
        .filter(hostname=address.hostname, port=address.port)
        .exclude(pk=site.pk)
    )
    if taken.exists():
        raise ImproperlyConfigured(
            f"Another Wagtail site already answers on {address.hostname}:{address.port}; "
            "change it in the admin (Settings → Sites) first."
        )
    site.hostname = address.hostname
    site.port = address.port
    # save(), not update(): the newsroom forgets the sites it remembers on a Site's save.
    site.save(using=using, update_fields=["hostname", "port"])
    return True


def site_address_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: put BASE_URL on the default Site once wagtailcore's tables exist."""
    if getattr(sender, "label", None) != "wagtailcore":
        return
    address = public_address()
    if address is not None:
        site_address_set(address=address, using=using)
