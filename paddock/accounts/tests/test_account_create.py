"""Accounts the site makes itself (an import's authors, a dealer's staff, the demo's people):
the profile and groups every account has, a verified address when it was checked elsewhere."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from paddock.accounts.services import account_create, email_verified
from paddock.core.roles import READERS

pytestmark = pytest.mark.django_db


def test_an_account_gets_its_profile_groups_password_and_verified_address(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    staff = Group.objects.create(name="Dealers")
    user = account_create(
        username="dealer-1",
        email="Sales@Dealer.EXAMPLE",
        password_hash=make_password("paddock-demo"),
        first_name="Bay",
        last_name="Sales",
        groups=[staff],
        email_verified=True,
        display_name="Bay Bridge Sales",
        country="US",
        avatar_seed="00ff00ff00ff00ff",
    )
    user.refresh_from_db()
    assert user.email == "Sales@dealer.example"
    assert user.check_password("paddock-demo")
    assert set(user.groups.values_list("name", flat=True)) == {"Dealers", READERS}
    assert email_verified(user)
    profile = user.profile
    assert (profile.display_name, profile.country.code) == ("Bay Bridge Sales", "US")
    assert profile.avatar_seed == "00ff00ff00ff00ff"
    assert not user.is_superuser


def test_without_a_password_nobody_can_sign_in_and_an_unchecked_address_stays_unverified():
    user = account_create(username="mara", email="mara@oldsite.example")
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not email_verified(user)


def test_a_display_name_another_reader_has_is_not_taken():
    first = account_create(username="one", display_name="Petrolhead")
    second = account_create(username="two", display_name="petrolhead")
    assert first.profile.display_name == "Petrolhead"
    assert second.profile.display_name.casefold() != "petrolhead"


def test_a_superuser_is_staff_too():
    admin = account_create(username="admin", email="admin@paddock.example", superuser=True)
    assert admin.is_superuser and admin.is_staff
