"""The public quote form: a good request is stored and routed; bad input stores nothing."""

from __future__ import annotations

import re
import time

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from paddock.core.forms import stamp_make
from paddock.leads import policy, tokens
from paddock.leads.models import Lead, LeadAssignment
from paddock.newsroom.tests.factories import (
    MakeFactory,
    VehicleModelFactory,
    make_article,
    make_section,
)

from .factories import DealerFactory

pytestmark = pytest.mark.django_db


def good_data(vehicle, **overrides):
    data = {
        "make": vehicle.make.slug,
        "model": vehicle.slug,
        "year": "",
        "trim": "",
        "timeframe": "month",
        "zip_code": "10001",
        "name": "Pat Shopper",
        "email": "pat@example.com",
        "phone": "(212) 555-0147",
        "consent": "on",
        "website": "",
        "started": stamp_make(form="quote"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_get_prefills_make_and_model_from_the_query(client, vehicle):
    response = client.get(reverse("leads:quote"), {"make": vehicle.make.slug, "model": "nami"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{vehicle.make.slug}" selected>' in html
    assert '<option value="nami" selected>' in html
    assert policy.CONSENT_TEXT in html


def test_request_is_stored_with_consent_and_names_dealers(client, vehicle):
    DealerFactory(name="Midtown Kaito", zip_code="10019", makes=[vehicle.make])
    response = client.post(reverse("leads:quote"), good_data(vehicle), follow=True)
    assert response.status_code == 200
    assert "Midtown Kaito" in response.content.decode()
    lead = Lead.objects.get()
    assert lead.consent_text == policy.CONSENT_TEXT
    assert lead.phone == "+12125550147"
    assert lead.vehicle_model == vehicle
    assert LeadAssignment.objects.filter(lead=lead).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"zip_code": "00000"}, "zip_code"),
        ({"zip_code": "ABCDE"}, "zip_code"),
        ({"zip_code": "1000"}, "zip_code"),
        ({"phone": "555"}, "phone"),
        ({"phone": "+1 212 555 01470000"}, "phone"),
        ({"consent": None}, "consent"),
        ({"make": "no-such-make"}, "make"),
        ({"model": "no-such-model"}, "model"),
        ({"email": "not an email"}, "email"),
        ({"email": "a@example.com\nBcc: victim@example.com"}, "email"),
        ({"name": "Pat\x00Shopper"}, "name"),
        ({"name": "Pat\x1bShopper"}, "name"),
        ({"name": "x" * 500}, "name"),
        ({"trim": '=HYPERLINK("http://evil")' + "x" * 80}, "trim"),
        ({"timeframe": "tomorrow"}, "timeframe"),
        ({"year": "1800"}, "year"),
    ],
)
def test_bad_input_gives_form_errors_and_stores_nothing(client, vehicle, overrides, field):
    DealerFactory(zip_code="10019", makes=[vehicle.make])
    response = client.post(reverse("leads:quote"), good_data(vehicle, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Lead.objects.count() == 0
    assert LeadAssignment.objects.count() == 0


def test_model_of_another_make_is_a_form_error(client, vehicle):
    other = VehicleModelFactory(make=MakeFactory(name="Dufour"), name="Ambre")
    response = client.post(reverse("leads:quote"), good_data(vehicle, model=other.slug))
    assert "model" in response.context["form"].errors
    assert Lead.objects.count() == 0


def test_hostile_strings_are_stored_as_text_and_escaped(client, vehicle):
    DealerFactory(name="Midtown", zip_code="10019", makes=[vehicle.make])
    hostile = "<script>alert(1)</script> Robert'); DROP TABLE leads_lead;--"
    response = client.post(
        reverse("leads:quote"), good_data(vehicle, name=hostile, trim="<b>GT</b>"), follow=True
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert Lead.objects.get().name == hostile


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (lambda: {"website": "http://spam.example"}, "it is there to catch robots"),
        (lambda: {"started": "forged"}, "This form has expired; check the details"),
        (lambda: {"started": None}, "This form has expired; check the details"),
        (lambda: {"started": stamp_make(form="newsletter", at=time.time() - 10)}, "has expired"),
        (lambda: {"started": stamp_make(form="quote")}, "That was quick! Check the details"),
    ],
)
def test_robot_like_requests_are_refused_and_the_details_kept(
    client, vehicle, settings, overrides, message
):
    settings.PADDOCK_LEADS_MIN_SUBMIT_SECONDS = 3
    data = good_data(vehicle, started=stamp_make(form="quote", at=time.time() - 10))
    assert client.post(reverse("leads:quote"), data).status_code == 302  # a person's pace
    Lead.objects.all().delete()
    data.update(overrides())
    response = client.post(reverse("leads:quote"), {k: v for k, v in data.items() if v})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Pat Shopper" in response.content.decode()  # nothing typed is lost
    assert 'name="started"' in response.content.decode()
    assert Lead.objects.count() == 0


def test_rate_limit_answers_429(client, vehicle):
    for _ in range(10):
        client.post(reverse("leads:quote"), good_data(vehicle, zip_code="00000"))
    response = client.post(reverse("leads:quote"), good_data(vehicle))
    assert response.status_code == 429
    assert Lead.objects.count() == 0


def test_confirmation_page_needs_a_valid_token(client):
    assert client.get(reverse("leads:sent", args=["forged"])).status_code == 404
    assert client.get(reverse("leads:sent", args=[tokens.delete_token(1)])).status_code == 404


def _options(html: str, select_name: str) -> list[str]:
    select = html.split(f'name="{select_name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_model_list_holds_only_the_chosen_makes_models(client, vehicle):
    VehicleModelFactory(make=MakeFactory(name="Dufour"), name="Ambre")
    html = client.get(reverse("leads:quote")).content.decode()
    assert _options(html, "model") == [""]  # choose a make first
    html = client.get(reverse("leads:quote"), {"make": vehicle.make.slug}).content.decode()
    assert _options(html, "model") == ["", "nami"]


def test_without_javascript_show_models_reloads_the_form_as_typed(client, vehicle):
    dufour = MakeFactory(name="Dufour")
    VehicleModelFactory(make=dufour, name="Ambre")
    data = good_data(vehicle, make=dufour.slug, model="", name="Pat <Shopper>")
    html = client.get(reverse("leads:quote")).content.decode()
    assert 'formaction="/quote/models/"' in html and "<noscript>" in html
    response = client.post(reverse("leads:quote_models"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert _options(html, "model") == ["", "ambre"]
    assert 'value="Pat &lt;Shopper&gt;"' in html and 'value="10001"' in html
    assert f'<option value="{dufour.slug}" selected>' in html
    assert Lead.objects.count() == 0


def test_with_javascript_the_list_narrows_in_place(client, vehicle):
    url = reverse("leads:quote_models")
    response = client.get(url, {"make": vehicle.make.slug}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<div id="quote-model">') and "<form" not in html
    assert _options(html, "model") == ["", "nami"]
    page = client.get(reverse("leads:quote")).content.decode()
    assert 'hx-get="/quote/models/"' in page and 'hx-target="#quote-model"' in page
    # Without htmx the address leads to the whole form.
    assert client.get(url, {"make": "kaito-motor"})["Location"] == "/quote/?make=kaito-motor"


def test_the_buying_timeframe_starts_unanswered_and_may_stay_so(client, vehicle):
    html = client.get(reverse("leads:quote")).content.decode()
    select = html.split('name="timeframe"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>No answer</option>' in select
    assert select.count("selected") == 1
    DealerFactory(zip_code="10019", makes=[vehicle.make])
    response = client.post(reverse("leads:quote"), good_data(vehicle, timeframe=""))
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.timeframe == ""
    mail = render_to_string(
        "leads/email/dealer_lead.txt",
        {"lead": lead, "assignment": lead.assignments.get(), "dealer": lead.assignments.get()},
    )
    assert "Buying" not in mail and "Pat Shopper" in mail


def test_the_quote_page_has_no_quote_widget_of_its_own(client, vehicle):
    html = client.get(reverse("leads:quote")).content.decode()
    assert "quote-widget-heading" not in html and "New Car Research</h2>" not in html
    assert 'class="quote-form"' in html


def test_the_article_the_shopper_came_from_is_kept(client, vehicle):
    article = make_article(make_section(), title="Nami first drive")
    DealerFactory(zip_code="10019", makes=[vehicle.make])
    html = client.get(reverse("leads:quote"), {"article": article.pk}).content.decode()
    assert f'name="article" value="{article.pk}"' in html
    client.post(reverse("leads:quote"), good_data(vehicle, article=str(article.pk)))
    assert Lead.objects.get().source_article == article
    # An unknown article is dropped, not an error.
    Lead.objects.all().delete()
    response = client.post(reverse("leads:quote"), good_data(vehicle, article="999999"))
    assert response.status_code == 302
    assert Lead.objects.get().source_article is None


def test_the_same_request_sent_twice_is_stored_once_and_answered_alike(client, vehicle):
    stamp = client.get("/csrf/?form=quote").json()["stamps"]["quote"]
    data = good_data(vehicle, started=stamp)
    first = client.post(reverse("leads:quote"), data)
    again = client.post(reverse("leads:quote"), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Lead.objects.count() == 1
