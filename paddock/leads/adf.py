"""A lead as an ADF 1.0 document (Auto-lead Data Format), the XML that dealers' CRMs ingest.

Every value goes through ElementTree, which escapes it; characters XML 1.0 cannot carry at all
(control characters) are dropped first. Only the two constant prologue lines are written by
hand. Elements follow the order of the ADF 1.0 specification: prospect (id, requestdate,
vehicle, customer, vendor, provider).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from django.conf import settings
from django.utils import timezone

from paddock.core.urls import absolute_url

from .geo import postal_country
from .models import Dealer, Lead, Timeframe

PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n<?adf version="1.0"?>\n'
CONTENT_TYPE = "application/xml"

# XML 1.0 allows tab, newline, carriage return and these ranges; nothing else, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# How soon the shopper means to buy, as the ADF's latest (or earliest) purchase date.
_WITHIN_DAYS = {Timeframe.NOW: 7, Timeframe.MONTH: 30, Timeframe.QUARTER: 90}
_LATER_THAN_DAYS = 90


def _text(value) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _add(parent: ET.Element, tag: str, value=None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if value is not None:
        element.text = _text(value)
    return element


def name_parts(full_name: str) -> list[tuple[str, str]]:
    """("first", …), ("last", …) when the name has both, else the whole as ("full", …)."""
    words = full_name.split()
    if len(words) >= 2:
        return [("first", " ".join(words[:-1])), ("last", words[-1])]
    return [("full", full_name.strip())] if words else []


def _date(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _comments(lead: Lead, article_url: str) -> str:
    lines = [f"Consent the shopper gave: {lead.consent_text}"]
    if lead.source_article_id:
        lines.append(f"Asked from the article: {lead.source_article.title} ({article_url})")
    return "\n".join(lines)


def lead_document(lead: Lead, dealer: Dealer) -> bytes:
    """The lead, for this dealer, as an ADF 1.0 document in UTF-8."""
    site = settings.WAGTAIL_SITE_NAME
    adf = ET.Element("adf")
    prospect = _add(adf, "prospect", status="new")
    _add(prospect, "id", lead.pk, sequence="1", source=site)
    _add(prospect, "requestdate", _date(lead.created_at))

    vehicle = _add(prospect, "vehicle", interest="buy", status="new")
    # The year is required by ADF; an empty one means the shopper left it open.
    _add(vehicle, "year", lead.year or "")
    _add(vehicle, "make", lead.make.name)
    _add(vehicle, "model", lead.vehicle_model.name)
    if lead.trim:
        _add(vehicle, "trim", lead.trim)
    if not lead.year:
        _add(vehicle, "comments", "Any model year")

    customer = _add(prospect, "customer")
    contact = _add(customer, "contact")
    for part, value in name_parts(lead.name) or [("full", "")]:
        _add(contact, "name", value, part=part)
    if lead.email:
        _add(contact, "email", lead.email)
    if lead.phone:
        _add(contact, "phone", lead.phone, type="voice")
    address = _add(contact, "address")
    _add(address, "postalcode", lead.zip_code)
    _add(address, "country", postal_country(lead.zip_code) or "US")
    if lead.timeframe:
        timeframe = _add(customer, "timeframe")
        _add(timeframe, "description", lead.get_timeframe_display())
        if lead.timeframe in _WITHIN_DAYS:
            latest = lead.created_at + dt.timedelta(days=_WITHIN_DAYS[lead.timeframe])
            _add(timeframe, "latestdate", _date(latest))
        else:
            earliest = lead.created_at + dt.timedelta(days=_LATER_THAN_DAYS)
            _add(timeframe, "earliestdate", _date(earliest))
    article_url = (lead.source_article.full_url or "") if lead.source_article_id else ""
    _add(customer, "comments", _comments(lead, article_url))

    vendor = _add(prospect, "vendor")
    _add(vendor, "vendorname", dealer.name)
    vendor_contact = _add(vendor, "contact")
    _add(vendor_contact, "name", dealer.name, part="full")
    if dealer.email_list:
        _add(vendor_contact, "email", dealer.email_list[0])
    vendor_address = _add(vendor_contact, "address")
    if dealer.street:
        _add(vendor_address, "street", dealer.street, line="1")
    _add(vendor_address, "city", dealer.city)
    _add(vendor_address, "regioncode", dealer.state)
    _add(vendor_address, "postalcode", dealer.zip_code)
    _add(vendor_address, "country", postal_country(dealer.zip_code) or "US")

    provider = _add(prospect, "provider")
    _add(provider, "name", site, part="full")
    _add(provider, "service", "Dealer quote form")
    _add(provider, "url", absolute_url("/"))

    return (PROLOGUE + ET.tostring(adf, encoding="unicode")).encode("utf-8")
