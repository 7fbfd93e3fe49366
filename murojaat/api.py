"""The one HTTP API of Murojaat, documented as OpenAPI at /api/docs.

Every error, on every router, is an RFC 9457 problem (application/problem+json) with a stable
`code`: see murojaat/gateway/problems.py and docs/api.md.
"""

from ninja import NinjaAPI

from murojaat.gateway import problems
from murojaat.gateway.api import router as gateway_router
from murojaat.parties.api import router as parties_router

api = NinjaAPI(
    title="Murojaat API",
    version="1.0",
    description=(
        "Appeals gateway for external systems (Virtual Reception) and the party registry. "
        "Gateway requests are signed: X-Client-Key, X-Timestamp (Unix seconds, ±300 s) and "
        "X-Signature = hex HMAC-SHA256(secret, METHOD\\npath\\ntimestamp\\nsha256_hex(body)). "
        "JSON bodies must be sent as application/json (else 415). "
        "Errors are RFC 9457 problem details with a stable `code`."
    ),
    urls_namespace="api",
    parser=problems.JsonBodyParser(),
)
problems.install(api)
api.add_router("/v1/", gateway_router)
api.add_router("/parties/", parties_router)
