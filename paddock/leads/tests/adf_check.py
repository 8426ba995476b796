"""A checker of ADF 1.0 documents, written from the elements of the published specification
(Auto-lead Data Format 1.0, ADF Work Group, 2000) rather than from our writer: what each
element must hold, in which order, and which attribute values are allowed. Only the parts of
the format a lead of ours can use are checked, each fully."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

# Children in the order the specification lists them; (name, least, most), None = unbounded.
PROSPECT = [
    ("id", 0, None),
    ("requestdate", 1, 1),
    ("vehicle", 1, None),
    ("customer", 1, 1),
    ("vendor", 1, 1),
    ("provider", 0, 1),
]
VEHICLE = [
    ("id", 0, None),
    ("year", 1, 1),
    ("make", 1, 1),
    ("model", 1, 1),
    ("vin", 0, 1),
    ("stock", 0, 1),
    ("trim", 0, 1),
    ("doors", 0, 1),
    ("bodystyle", 0, 1),
    ("transmission", 0, 1),
    ("odometer", 0, 1),
    ("colorcombination", 0, None),
    ("imagetag", 0, 1),
    ("price", 0, None),
    ("pricecomments", 0, 1),
    ("option", 0, None),
    ("finance", 0, 1),
    ("comments", 0, 1),
]
CUSTOMER = [("contact", 1, 1), ("id", 0, None), ("timeframe", 0, 1), ("comments", 0, 1)]
CONTACT = [("name", 1, None), ("email", 0, 1), ("phone", 0, None), ("address", 0, 1)]
ADDRESS = [
    ("street", 0, 5),
    ("apartment", 0, 1),
    ("city", 0, 1),
    ("regioncode", 0, 1),
    ("postalcode", 0, 1),
    ("country", 0, 1),
]
TIMEFRAME = [("description", 0, 1), ("earliestdate", 0, 1), ("latestdate", 0, 1)]
VENDOR = [("id", 0, None), ("vendorname", 1, 1), ("url", 0, 1), ("contact", 1, 1)]
PROVIDER = [
    ("id", 0, None),
    ("name", 1, 1),
    ("service", 0, 1),
    ("url", 0, 1),
    ("email", 0, 1),
    ("phone", 0, 1),
    ("contact", 0, 1),
]
NAME_PARTS = {"surname", "first", "middle", "suffix", "last", "full"}
PHONE_TYPES = {"voice", "fax", "cellphone", "pager"}
VEHICLE_INTEREST = {"buy", "lease", "sell", "trade-in", "test-drive"}
VEHICLE_STATUS = {"new", "used"}
PROSPECT_STATUS = {"new", "resend"}
COUNTRIES = re.compile(r"^[A-Z]{2}$")  # ISO 3166 two-letter codes


class ADFError(AssertionError):
    pass


def _sequence(element: ET.Element, rule: list[tuple[str, int, int | None]]) -> None:
    """The children follow the rule's order, each within its count; nothing else appears."""
    tags = [child.tag for child in element]
    position = 0
    for name, least, most in rule:
        count = 0
        while position < len(tags) and tags[position] == name:
            position += 1
            count += 1
        if count < least or (most is not None and count > most):
            raise ADFError(f"<{element.tag}> has {count} <{name}>; the spec wants {least}..{most}")
    if position != len(tags):
        raise ADFError(f"<{element.tag}> has <{tags[position]}> out of order or not allowed")


def _date(text: str | None, where: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text or "")
    except ValueError as exc:
        raise ADFError(f"<{where}> is not an ISO 8601 date-time: {text!r}") from exc
    if value.tzinfo is None:
        raise ADFError(f"<{where}> has no time zone: {text!r}")
    return value


def _name(element: ET.Element) -> None:
    if element.get("part", "full") not in NAME_PARTS:
        raise ADFError(f"name part {element.get('part')!r} is not one of the spec's")
    if element.get("type", "individual") not in {"individual", "business"}:
        raise ADFError(f"name type {element.get('type')!r} is not one of the spec's")


def _contact(contact: ET.Element, *, needs_reach: bool) -> None:
    _sequence(contact, CONTACT)
    for name in contact.findall("name"):
        _name(name)
    if needs_reach and contact.find("email") is None and contact.find("phone") is None:
        raise ADFError("a customer's contact needs an email or a phone")
    for phone in contact.findall("phone"):
        if phone.get("type", "voice") not in PHONE_TYPES:
            raise ADFError(f"phone type {phone.get('type')!r} is not one of the spec's")
    address = contact.find("address")
    if address is not None:
        _sequence(address, ADDRESS)
        country = address.findtext("country")
        if country is not None and not COUNTRIES.match(country):
            raise ADFError(f"country {country!r} is not a two-letter ISO code")


def check(raw: bytes | str) -> ET.Element:
    """Parse an ADF 1.0 document and check it; the <prospect> element, or ADFError."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if not re.match(r'^\s*(<\?xml [^>]*\?>\s*)?<\?adf version="1\.0"\?>', text):
        raise ADFError('an ADF document opens with <?adf version="1.0"?>')
    root = ET.fromstring(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    if root.tag != "adf":
        raise ADFError(f"the root element is <{root.tag}>, not <adf>")
    prospects = root.findall("prospect")
    if not prospects or len(prospects) != len(root):
        raise ADFError("<adf> holds one or more <prospect> and nothing else")
    for prospect in prospects:
        if prospect.get("status", "new") not in PROSPECT_STATUS:
            raise ADFError(f"prospect status {prospect.get('status')!r}")
        _sequence(prospect, PROSPECT)
        _date(prospect.findtext("requestdate"), "requestdate")
        for vehicle in prospect.findall("vehicle"):
            if vehicle.get("interest", "buy") not in VEHICLE_INTEREST:
                raise ADFError(f"vehicle interest {vehicle.get('interest')!r}")
            if vehicle.get("status", "new") not in VEHICLE_STATUS:
                raise ADFError(f"vehicle status {vehicle.get('status')!r}")
            _sequence(vehicle, VEHICLE)
            year = vehicle.findtext("year") or ""
            if year and not re.fullmatch(r"\d{4}", year):
                raise ADFError(f"year {year!r} is not four digits")
            if not vehicle.findtext("make") or not vehicle.findtext("model"):
                raise ADFError("a vehicle needs its make and model")
        customer = prospect.find("customer")
        _sequence(customer, CUSTOMER)
        _contact(customer.find("contact"), needs_reach=True)
        timeframe = customer.find("timeframe")
        if timeframe is not None:
            _sequence(timeframe, TIMEFRAME)
            dates = [timeframe.findtext(t) for t in ("earliestdate", "latestdate")]
            if not any(dates):
                raise ADFError("a timeframe needs an earliest or a latest date")
            for tag, value in zip(("earliestdate", "latestdate"), dates, strict=True):
                if value:
                    _date(value, tag)
        vendor = prospect.find("vendor")
        _sequence(vendor, VENDOR)
        if not vendor.findtext("vendorname"):
            raise ADFError("a vendor needs its vendorname")
        _contact(vendor.find("contact"), needs_reach=False)
        provider = prospect.find("provider")
        if provider is not None:
            _sequence(provider, PROVIDER)
            _name(provider.find("name"))
    return prospects[0]
