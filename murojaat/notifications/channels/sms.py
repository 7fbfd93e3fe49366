"""SMS through an operator's HTTP gateway, the way Uzbek operators' gateways work.

POST {MUROJAAT_SMS_URL} with HTTP Basic credentials and the JSON
{"messages": [{"recipient": "998901234567", "message-id": "<key hash>",
"sms": {"originator": "<sender>", "content": {"text": "..."}}}]}; a 2xx answer means accepted.
The message-id is stable per notification, so the gateway drops a repeated delivery.
"""

from __future__ import annotations

import base64
import hashlib
import re

from django.conf import settings

from ..models import Notification
from .http import DeliveryError, HttpError, post_json


def message_id(notification: Notification) -> str:
    return hashlib.sha256(notification.key.encode()).hexdigest()[:20]


def payload(notification: Notification) -> dict[str, object]:
    return {
        "messages": [
            {
                "recipient": re.sub(r"\D", "", notification.address),
                "message-id": message_id(notification),
                "sms": {
                    "originator": settings.MUROJAAT_SMS_SENDER,
                    "content": {"text": f"{notification.subject}. {notification.body}"[:700]},
                },
            }
        ]
    }


def send(notification: Notification) -> None:
    url = settings.MUROJAAT_SMS_URL
    if not url:
        raise DeliveryError("no SMS gateway is configured (MUROJAAT_SMS_URL)")
    credentials = f"{settings.MUROJAAT_SMS_LOGIN}:{settings.MUROJAAT_SMS_PASSWORD}"
    headers = {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}
    try:
        status, body = post_json(url, payload(notification), headers=headers)
    except HttpError as exc:
        raise DeliveryError(str(exc)) from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"the SMS gateway answered HTTP {status}: {body}")
