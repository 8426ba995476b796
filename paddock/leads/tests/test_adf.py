"""Leads reach dealers' CRMs as ADF 1.0: attached to every notification, alone to a CRM lead
address, and POSTed to a CRM endpoint (a real HTTP server on loopback) with retries."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paddock.core.roles import EDITORS
from paddock.leads import adf, policy, services
from paddock.leads.models import CrmDelivery
from paddock.newsroom.tests.factories import (
    MakeFactory,
    UserFactory,
    VehicleModelFactory,
    make_article,
    make_section,
)

from . import adf_check
from .factories import DealerFactory, LeadAssignmentFactory, LeadFactory

NASTY_NAME = 'Zoë <b>"O\'Brien"</b> & ]]> Smith'


class CrmServer:
    """A CRM stand-in: answers each POST with the next of `statuses` (then 200s) and keeps
    what it was sent."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.received: list[tuple[str, bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.received.append((self.headers["Content-Type"], body))
                status = server.statuses.pop(0) if server.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/adf"


@pytest.fixture
def crm_server():
    server = CrmServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def _submit(vehicle, **overrides):
    kwargs = {
        "make": vehicle.make,
        "vehicle_model": vehicle,
        "year": 2026,
        "trim": "GT <Sport>",
        "timeframe": "month",
        "zip_code": "10001",
        "name": NASTY_NAME,
        "email": "zoe@example.com",
        "phone": "+12125550147",
        "consent_text": policy.CONSENT_TEXT,
    }
    kwargs.update(overrides)
    return services.lead_submit(**kwargs).lead


def _adf_attachment(message) -> bytes:
    (part,) = [p for p in message.iter_attachments() if p.get_filename().endswith(".xml")]
    assert part.get_content_type() == "application/xml"
    return part.get_payload(decode=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_notification_and_both_crm_deliveries_carry_valid_adf(
    drain_background_tasks, smtp_server, crm_server
):
    vehicle = VehicleModelFactory(make=MakeFactory(name="Kaito Motor"), name="Nami")
    article = make_article(make_section("Reviews"), title="Nami & the <city> test")
    DealerFactory(
        name="Midtown Kaito",
        zip_code="10019",
        makes=[vehicle.make],
        notification_emails="sales@midtown.example",
        crm_email="leads@crm.midtown.example",
    )
    DealerFactory(
        name="Yonkers Kaito",
        zip_code="10701",
        makes=[vehicle.make],
        notification_emails="leads@yonkers.example",
        crm_endpoint=crm_server.url,
    )
    lead = _submit(vehicle, source_article=article)
    drain_background_tasks()

    by_to = {m["To"]: m for m in smtp_server.messages}
    assert set(by_to) == {
        "sales@midtown.example",
        "leads@yonkers.example",
        "leads@crm.midtown.example",
        "zoe@example.com",
    }
    documents = {
        "Midtown Kaito": _adf_attachment(by_to["sales@midtown.example"]),
        "Yonkers Kaito": _adf_attachment(by_to["leads@yonkers.example"]),
    }
    # People read the text part, which says what the attachment is.
    text = by_to["sales@midtown.example"].get_body(("plain",)).get_content()
    assert NASTY_NAME in text and f"lead-{lead.pk}.xml" in text

    # The CRM lead address gets the document alone, as a plain-text body.
    crm_mail = by_to["leads@crm.midtown.example"]
    assert not crm_mail.is_multipart() and crm_mail.get_content_type() == "text/plain"
    crm_body = crm_mail.get_content()
    assert crm_body.lstrip().startswith("<?xml")
    # The endpoint got it POSTed as XML.
    (content_type, posted) = crm_server.received[0]
    assert len(crm_server.received) == 1 and content_type.startswith("application/xml")

    for dealer, raw in [
        *documents.items(),
        ("Midtown Kaito", crm_body),
        ("Yonkers Kaito", posted),
    ]:
        prospect = adf_check.check(raw)
        assert prospect.findtext("id") == str(lead.pk)
        vehicle_el = prospect.find("vehicle")
        assert vehicle_el.get("interest") == "buy" and vehicle_el.get("status") == "new"
        assert [vehicle_el.findtext(t) for t in ("year", "make", "model", "trim")] == [
            "2026",
            "Kaito Motor",
            "Nami",
            "GT <Sport>",
        ]
        contact = prospect.find("customer/contact")
        names = {n.get("part"): n.text for n in contact.findall("name")}
        assert names == {"first": 'Zoë <b>"O\'Brien"</b> & ]]>', "last": "Smith"}
        assert contact.findtext("email") == "zoe@example.com"
        assert contact.findtext("phone") == "+12125550147"
        assert contact.findtext("address/postalcode") == "10001"
        comments = prospect.findtext("customer/comments")
        assert policy.CONSENT_TEXT in comments
        assert "Nami & the <city> test" in comments and article.url in comments
        assert prospect.findtext("customer/timeframe/description") == "Within a month"
        assert prospect.findtext("vendor/vendorname") == dealer
        assert prospect.findtext("vendor/contact/name") == dealer
        assert prospect.findtext("provider/name") == "Paddock"

    log = list(CrmDelivery.objects.values_list("dealer__name", "channel", "outcome"))
    assert sorted(log) == [("Midtown Kaito", "email", "sent"), ("Yonkers Kaito", "https", "sent")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_endpoint_is_retried_until_it_accepts(
    drain_background_tasks, smtp_server, crm_server, settings
):
    settings.PADDOCK_LEADS_CRM_RETRY_BASE_SECONDS = 0  # retries are due at once
    crm_server.statuses = [503, 500]
    vehicle = VehicleModelFactory(make=MakeFactory(name="Kaito Motor"), name="Nami")
    DealerFactory(zip_code="10019", makes=[vehicle.make], crm_endpoint=crm_server.url)
    lead = _submit(vehicle)
    drain_background_tasks()

    assert len(crm_server.received) == 3
    for _content_type, body in crm_server.received:
        adf_check.check(body)
    log = list(CrmDelivery.objects.filter(lead=lead).values_list("attempt", "outcome", "detail"))
    assert log == [
        (1, "retrying", "HTTP 503"),
        (2, "retrying", "HTTP 500"),
        (3, "sent", "HTTP 200"),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_next_attempt_waits_longer_each_time(
    drain_background_tasks, smtp_server, crm_server, settings
):
    settings.PADDOCK_LEADS_CRM_RETRY_BASE_SECONDS = 60
    crm_server.statuses = [502]
    vehicle = VehicleModelFactory(make=MakeFactory(name="Kaito Motor"), name="Nami")
    DealerFactory(zip_code="10019", makes=[vehicle.make], crm_endpoint=crm_server.url)
    _submit(vehicle)
    drain_background_tasks()

    assert len(crm_server.received) == 1  # the retry is not due yet
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][2] == 2
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=50)
    assert policy.crm_backoff_seconds(2) == 120 and policy.crm_backoff_seconds(20) == 3600


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_the_last_attempt_the_editors_are_alerted(
    drain_background_tasks, smtp_server, crm_server, settings
):
    settings.PADDOCK_LEADS_CRM_RETRY_BASE_SECONDS = 0
    settings.PADDOCK_LEADS_CRM_MAX_ATTEMPTS = 2
    crm_server.statuses = [500, 500, 500]
    editor = UserFactory(username="eddie", email="eddie@paddock.example")
    editor.groups.add(Group.objects.get_or_create(name=EDITORS)[0])
    vehicle = VehicleModelFactory(make=MakeFactory(name="Kaito Motor"), name="Nami")
    DealerFactory(
        name="Bronx Kaito", zip_code="10019", makes=[vehicle.make], crm_endpoint=crm_server.url
    )
    lead = _submit(vehicle)
    drain_background_tasks()

    assert len(crm_server.received) == 2
    assert list(CrmDelivery.objects.values_list("outcome", flat=True)) == ["retrying", "failed"]
    (alert,) = [m for m in smtp_server.messages if m["To"] == "eddie@paddock.example"]
    assert alert["Subject"] == f"CRM delivery failed: lead {lead.pk} to Bronx Kaito"
    assert "HTTP 500" in alert.get_content() and crm_server.url in alert.get_content()


@pytest.mark.django_db
def test_a_document_holds_only_what_the_shopper_gave_and_no_control_characters():
    lead = LeadFactory(year=None, trim="", timeframe="", name="Cher\x07", phone="")
    dealer = LeadAssignmentFactory(lead=lead).dealer
    prospect = adf_check.check(adf.lead_document(lead, dealer))
    assert prospect.findtext("vehicle/year") == ""
    assert prospect.find("vehicle/trim") is None
    assert prospect.find("customer/timeframe") is None  # never a made-up answer
    assert [(n.get("part"), n.text) for n in prospect.findall("customer/contact/name")] == [
        ("full", "Cher")
    ]


def test_the_checker_refuses_what_the_spec_does_not_allow():
    good = (
        '<?adf version="1.0"?><adf><prospect><requestdate>2026-01-02T03:04:05+00:00'
        "</requestdate><vehicle><year>2026</year><make>K</make><model>N</model></vehicle>"
        "<customer><contact><name part='full'>P</name><email>p@x.example</email></contact>"
        "</customer><vendor><vendorname>D</vendorname><contact><name>D</name></contact>"
        "</vendor></prospect></adf>"
    )
    adf_check.check(good)
    for bad in [
        good.replace('<?adf version="1.0"?>', ""),
        good.replace("<make>K</make><model>N</model>", "<model>N</model><make>K</make>"),
        good.replace("part='full'", "part='nick'"),
        good.replace("<email>p@x.example</email>", ""),
        good.replace("+00:00", ""),
        good.replace("<vendorname>D</vendorname>", ""),
    ]:
        with pytest.raises(adf_check.ADFError):
            adf_check.check(bad)


@pytest.mark.django_db
def test_a_crm_endpoint_must_be_https():
    dealer = DealerFactory(crm_endpoint="http://crm.example/adf")
    with pytest.raises(ValidationError) as raised:
        dealer.full_clean(exclude=["makes"])
    assert "crm_endpoint" in raised.value.message_dict
    dealer.crm_endpoint = "https://crm.example/adf"
    dealer.full_clean(exclude=["makes"])
