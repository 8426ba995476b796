"""Factories for leads tests: dealers at real ZIP codes, their staff, leads and assignments."""

from __future__ import annotations

import factory

from paddock.leads import policy
from paddock.leads.models import Dealer, DealerStaff, Lead, LeadAssignment
from paddock.newsroom.tests.factories import MakeFactory, UserFactory, VehicleModelFactory


class DealerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Dealer {n}")
    city = "New York"
    state = "NY"
    zip_code = "10019"
    notification_emails = factory.Sequence(lambda n: f"sales{n}@dealer.example")
    daily_lead_cap = 20

    @factory.post_generation
    def makes(self, create, extracted, **kwargs):
        if create and extracted:
            self.makes.set(extracted)


class DealerStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerStaff

    user = factory.SubFactory(UserFactory)
    dealer = factory.SubFactory(DealerFactory)


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    vehicle_model = factory.SubFactory(VehicleModelFactory)
    make = factory.LazyAttribute(lambda o: o.vehicle_model.make)
    timeframe = "month"
    zip_code = "10001"
    name = "Pat Shopper"
    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    phone = "+12125550147"
    consent_text = policy.CONSENT_TEXT


class LeadAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadAssignment

    lead = factory.SubFactory(LeadFactory)
    dealer = factory.SubFactory(DealerFactory)
    distance_miles = 1.5


__all__ = ["MakeFactory", "VehicleModelFactory", "UserFactory"]
