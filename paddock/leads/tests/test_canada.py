"""Canadian postal codes as the second country: told by their shape, placed by their forward
sortation area from the shipped file, and routed across the border by distance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paddock.leads import adf, geo, policy, services
from paddock.leads.models import Lead

from . import adf_check
from .factories import DealerFactory
from .test_quote_form import good_data


@pytest.mark.parametrize(
    ("typed", "stored", "country"),
    [
        ("90210", "90210", "US"),
        ("k1a0b1", "K1A 0B1", "CA"),
        (" M5V  3L9 ", "M5V 3L9", "CA"),
        ("T2P", "T2P", "CA"),  # the area alone is enough to place it
        ("D1A 0B1", "D1A 0B1", None),  # Canada Post never uses D
        ("W1A 0B1", "W1A 0B1", None),  # nor W as the first letter
        ("K1A 0B", "K1A 0B", None),
        ("9021", "9021", None),
    ],
)
def test_the_country_comes_from_the_codes_shape(typed, stored, country):
    assert geo.normalise_postal(typed) == stored
    assert geo.postal_country(typed) == country


def test_every_forward_sortation_area_is_known_and_in_canada():
    # One FSA from each province and territory's letter, and the far north.
    for fsa in (
        "A1A",
        "B3H",
        "C1A",
        "E1C",
        "G1R",
        "H2X",
        "J4K",
        "K1A",
        "L5B",
        "M5V",
        "N9A",
        "P3E",
        "R3C",
        "S4P",
        "T2P",
        "V6B",
        "X1A",
        "X0A",
        "Y1A",
    ):
        location = geo.postal_location(fsa)
        assert location is not None, fsa
        lat, lon = location
        assert 41.6 < lat < 83.2 and -141.1 < lon < -52.6, fsa
    # A code of the right shape that Canada Post has not assigned is unknown, not guessed.
    assert geo.postal_country("K0Z 1A0") == "CA"
    assert geo.postal_location("K0Z 1A0") is None


def test_distances_work_across_the_border(vehicle):
    DealerFactory(name="Detroit Kaito", zip_code="48226", makes=[vehicle.make])
    DealerFactory(name="Windsor Kaito", state="ON", zip_code="N9A 1A1", makes=[vehicle.make])
    DealerFactory(name="Toronto Kaito", state="ON", zip_code="M5V 3L9", makes=[vehicle.make])
    lead = services.lead_submit(
        make=vehicle.make,
        vehicle_model=vehicle,
        year=None,
        trim="",
        timeframe="",
        zip_code="n9a 5k6",
        name="Pat Shopper",
        email="pat@example.ca",
        phone="+15195550147",
        consent_text=policy.CONSENT_TEXT,
    ).lead
    assert lead.zip_code == "N9A 5K6"
    assignments = list(lead.assignments.select_related("dealer").order_by("distance_miles"))
    assert [a.dealer.name for a in assignments] == ["Windsor Kaito", "Detroit Kaito"]
    assert assignments[0].distance_miles < 1 < assignments[1].distance_miles < 5  # Toronto: 200
    prospect = adf_check.check(adf.lead_document(lead, assignments[0].dealer))
    assert prospect.findtext("customer/contact/address/postalcode") == "N9A 5K6"
    assert prospect.findtext("customer/contact/address/country") == "CA"
    assert prospect.findtext("vendor/contact/address/country") == "CA"


def test_the_form_takes_a_canadian_code_and_explains_a_bad_one(client, vehicle):
    DealerFactory(zip_code="M5V 3L9", state="ON", makes=[vehicle.make])
    response = client.post(reverse("leads:quote"), good_data(vehicle, zip_code="m5h2n2"))
    assert response.status_code == 302
    assert Lead.objects.get().zip_code == "M5H 2N2"
    response = client.post(reverse("leads:quote"), good_data(vehicle, zip_code="Q1A 1A1"))
    assert "Canadian postal code (K1A 0B1)" in response.context["form"].errors["zip_code"][0]
