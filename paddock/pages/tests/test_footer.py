"""The footer menu and the privacy policy link: what editors set shows on every page at once,
cached or not, and the forms that ask for personal data link to the policy when there is one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from paddock.accounts.tests.factories import ReaderFactory
from paddock.core.roles import EDITORS
from paddock.newsroom.tests.factories import site_tree
from paddock.pages import services
from paddock.pages.models import FooterLink
from paddock.pages.services import MenuLink


def footer(html: str) -> str:
    return html.split('<footer class="site-footer">')[1]


def standard(slug: str, title: str):
    page, _ = services.standard_page_create(
        parent=site_tree(), title=title, slug=slug, publish=True
    )
    return page


def admin_form_data(form) -> dict:
    """What the admin's edit form posts as it stands, its inline formsets included."""
    data = {name: form[name].value() or "" for name in form.fields}
    for formset in form.formsets.values():
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for child in formset.forms:
            for name in child.fields:
                value = child[name].value()
                data[f"{child.prefix}-{name}"] = "" if value is None else value
    return {k: v for k, v in data.items() if v is not False}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_footer_menu_change_shows_on_cached_pages_at_once():
    about, privacy = standard("about", "About us"), standard("privacy", "Privacy policy")
    site = Site.objects.get(is_default_site=True)
    services.footer_menu_set(site=site, links=[MenuLink(page=about)])
    visitor = Client()
    visitor.get("/privacy/")
    cached = visitor.get("/privacy/")
    assert cached.headers["X-Page-Cache"] == "HIT"
    assert '<a href="/about/">About us</a>' in footer(cached.content.decode())

    # An editor adds a link in the admin, with a label and an address of its own.
    editor = Client()
    editor.force_login(ReaderFactory(groups=[EDITORS]))
    url = reverse("wagtailsettings:edit", args=["pages", "footermenu", site.pk])
    form = editor.get(url).context["form"]
    data = admin_form_data(form)
    data.update(
        {
            "links-TOTAL_FORMS": "2",
            "links-1-label": "Advertise with us",
            "links-1-url": "https://ads.paddock.example/",
            "links-1-ORDER": "2",
            "links-1-id": "",
            "links-1-page": "",
            "privacy_page": str(privacy.pk),
        }
    )
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert FooterLink.objects.count() == 2

    page = visitor.get("/privacy/")
    assert page.headers.get("X-Page-Cache") != "HIT"
    html = footer(page.content.decode())
    assert html.index("About us") < html.index(
        '<a href="https://ads.paddock.example/">Advertise with us</a>'
    )
    # The privacy link of the forms follows the setting too.
    assert '<a class="privacy-link" href="/privacy/">' in visitor.get("/quote/").content.decode()

    # Unpublishing a linked page takes it out of every footer at once.
    about.unpublish()
    assert "About us" not in footer(visitor.get("/privacy/").content.decode())


@pytest.mark.django_db
def test_the_forms_asking_for_personal_data_link_to_the_privacy_policy_when_there_is_one(
    client, django_capture_on_commit_callbacks
):
    forms = [reverse("leads:quote"), reverse("newsletter:signup"), reverse("account_signup")]
    privacy = standard("privacy", "Privacy policy")
    for url in forms:
        assert "privacy-link" not in client.get(url).content.decode(), url
    site = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.footer_menu_set(site=site, links=[], privacy_page=privacy)
    for url in forms:
        html = client.get(url).content.decode()
        assert '<a class="privacy-link" href="/privacy/">' in html, url


@pytest.mark.django_db
def test_the_footer_costs_the_same_queries_with_one_link_or_eight(
    client, django_capture_on_commit_callbacks
):
    pages = [standard(f"page-{i}", f"Page {i}") for i in range(8)]
    site = Site.objects.get(is_default_site=True)
    reader = ReaderFactory()
    client.force_login(reader)  # signed in: every request renders

    def queries(links: int) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            services.footer_menu_set(site=site, links=[MenuLink(page=p) for p in pages[:links]])
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/page-0/").content.decode()
        assert html.count('href="/page-') >= links
        return len(captured)

    queries(1)  # the first render also reads what a process reads once (the site's parts)
    assert queries(1) == queries(8)


def test_the_footer_menu_says_what_its_template_said():
    from pathlib import Path

    from django.template import Context, Template

    from paddock.pages.templatetags.pages_tags import footer_menu_html

    spec = Template((Path(__file__).parent / "specs" / "footer_menu.html").read_text())
    links = [
        ("About <us>", "/about/"),
        ('Ads & "partners"', "https://example.com/?a=1&b=<2>"),
        ("Café", "/caf%C3%A9/"),
    ]
    ours = footer_menu_html(links)
    # Byte for byte, but for the newline that ends the template's file.
    assert ours == spec.render(Context({"links": links})).removesuffix("\n")
    assert "<us>" not in ours and "&amp;b=&lt;2&gt;" in ours
    assert footer_menu_html([]) == ""
