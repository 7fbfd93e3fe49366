from __future__ import annotations

import pytest
from django.core.cache import cache

from murojaat.gateway.client import DjangoTransport, GatewayClient
from murojaat.gateway.models import ApiClient


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()


def make_client(name: str = "President VR", channel: str = "president_vr", **extra) -> ApiClient:
    fields = {
        "key_id": f"key-{name.lower().replace(' ', '-')}",
        "channel": channel,
        "callback_url": "http://127.0.0.1:9/vr/callback",
    }
    fields.update(extra)
    return ApiClient.objects.create(name=name, **fields)


@pytest.fixture
def vr(db: None) -> ApiClient:
    return make_client()


@pytest.fixture
def api(vr: ApiClient) -> GatewayClient:
    return GatewayClient(vr.key_id, vr.secret, DjangoTransport())


def appeal_data(external_id: str = "VR-2026-0001", **extra) -> dict:
    data = {
        "external_id": external_id,
        "text": "Poliklinikada shifokor qabul qilmadi, navbat uch kun.",
        "kind": "complaint",
        "topics": ["quality-of-care"],
        "author": {
            "name": "Karimova Dilnoza",
            "address": "Zangiota tumani, Eshonguzar MFY, 12-uy",
            "phone": "+998901234567",
        },
    }
    data.update(extra)
    return data
