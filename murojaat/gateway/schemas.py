"""Request and response shapes of the gateway API, with the limits the API enforces."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from murojaat.appeals.limits import APPEAL_TEXT_MAX_CHARS

EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}$"
MAX_NAME = 255


class Strict(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        """PostgreSQL cannot store NUL in text: refuse it here (422) instead of failing (500)."""
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueError(_("NUL characters are not allowed in text."))
        return value


class AuthorIn(Strict):
    type: Literal["individual", "legal"] = "individual"
    name: str = Field("", max_length=MAX_NAME, description="Full name of the individual.")
    organisation: str = Field("", max_length=MAX_NAME, description="Name of the legal entity.")
    address: str = Field("", max_length=500)
    region: str | None = Field(
        None, pattern=r"^[0-9]{2,10}$", description="SOATO code of the region."
    )
    district: str | None = Field(
        None, pattern=r"^[0-9]{2,10}$", description="SOATO code of the district or city."
    )
    phone: str = Field("", max_length=32, pattern=r"^[0-9+()\- ]*$")
    email: str = Field("", max_length=254)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("Not a valid e-mail address.") from None
        return value


class AppealIn(Strict):
    external_id: str = Field(
        ...,
        pattern=EXTERNAL_ID_PATTERN,
        description=(
            "The appeal's id in your system, unique per client: sending it again returns the "
            "same appeal; another system's use of the same id is independent of yours."
        ),
    )
    text: str = Field(
        ...,
        min_length=1,
        max_length=APPEAL_TEXT_MAX_CHARS,
        description="The appeal's text: the same limit as every other door.",
    )
    kind: Literal["application", "proposal", "complaint"] = "application"
    received_at: datetime | None = Field(
        None, description="When your system received it (ISO 8601 with offset); default now."
    )
    language: str = Field("", max_length=10, pattern=r"^[a-zA-Z\-]*$")
    hide_personal_data: bool = False
    is_collective: bool = False
    signatories: int = Field(1, ge=1, le=100_000)
    topics: list[str] = Field(default_factory=list, max_length=10)
    author: AuthorIn = Field(default_factory=lambda: AuthorIn.model_validate({}))

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: list[str]) -> list[str]:
        for code in value:
            if not code or len(code) > 40:
                raise ValueError("Each topic is a code of at most 40 characters.")
        return value


class RejectionIn(Strict):
    reason: str = Field(..., min_length=1, max_length=5_000)


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str


class OutcomeOut(Schema):
    topic: str | None
    outcome: str
    legal_ground: str


class AnswerOut(Schema):
    text: str
    organisation: str
    signed_by: str | None
    feedback_form: str
    sent_at: datetime | None
    outcomes: list[OutcomeOut]
    documents: list[DocumentOut]


class AppealOut(Schema):
    number: str
    external_id: str
    channel: str
    state: str
    state_label: str
    received_at: datetime
    registered_at: datetime
    due_date: date
    closed_at: datetime | None
    rating: int | None
    attachments: list[DocumentOut]
    answer: AnswerOut | None


class ClientOut(Schema):
    name: str
    key_id: str
    channel: str
    callback_url: str
    rate_limit_per_minute: int


class FieldProblem(Schema):
    field: str
    code: str
    detail: str


class Problem(Schema):
    """RFC 9457 problem details (sent as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldProblem] | None = None
