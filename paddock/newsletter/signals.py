"""Delivery events from an email provider, through django-anymail's tracking webhooks
(/newsletter/anymail/<provider>/tracking/): hard bounces and rejections make an address
undeliverable, spam complaints and the provider's own unsubscribes end the subscription."""

from __future__ import annotations

import logging

from anymail.signals import EventType, RejectReason, tracking
from django.dispatch import receiver

from . import services
from .models import Subscriber

logger = logging.getLogger(__name__)

UNDELIVERABLE = {RejectReason.BOUNCED, RejectReason.INVALID, RejectReason.TIMED_OUT}


@receiver(tracking, dispatch_uid="paddock.newsletter.tracking")
def on_tracking_event(sender, event, esp_name: str, **kwargs) -> None:
    detail = "; ".join(
        part
        for part in (f"{esp_name}: {event.event_type}", event.description, event.mta_response)
        if part
    )
    if event.event_type == EventType.BOUNCED or (
        event.event_type == EventType.REJECTED and event.reject_reason in UNDELIVERABLE
    ):
        services.subscriber_mark_bounced(
            email=event.recipient or "", message_id=event.message_id or "", detail=detail
        )
    elif event.event_type in (EventType.COMPLAINED, EventType.UNSUBSCRIBED):
        subscriber = Subscriber.objects.filter(email__iexact=event.recipient or "").first()
        if subscriber is not None:
            reason = "complaint" if event.event_type == EventType.COMPLAINED else "provider"
            try:  # providers hand metadata back as strings
                edition_id = int((event.metadata or {}).get("edition"))
            except (TypeError, ValueError):
                edition_id = None
            services.subscriber_unsubscribe(
                subscriber=subscriber, edition_id=edition_id, reason=reason
            )
    elif event.event_type == EventType.DEFERRED:
        logger.info("Soft bounce for a newsletter message: %s", detail)
