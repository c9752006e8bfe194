"""One error body for every refusal: RFC 9457 problem details (decision 0010).

``{"type", "title", "status", "detail", "code", "field"?}`` as ``application/problem+json``;
some problems add members (a 409 on a segment carries ``current_text`` and
``current_version``, a refused PO file its ``problems``). ``detail`` is the sentence
a person reads; ``code`` is what a script branches on; ``field`` names the request
part that was wrong.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

MEDIA_TYPE = "application/problem+json"
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid", 500: "internal_error"}


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details)."""

    model_config = ConfigDict(extra="allow")
    type: str = Field("about:blank", description="Always about:blank: `code` says what kind of problem it is.")
    title: str = Field(..., description="The HTTP status phrase.")
    status: int = Field(..., description="The HTTP status code.")
    detail: str = Field(..., description="What was wrong and what to do, for a person.")
    code: str = Field(..., description="A stable name for the kind of problem, for scripts.")
    field: str | None = Field(None, description="The request part at fault, e.g. `body.content` or "
                                                "`content.blocks[0].level`.")


def problem(status: int, detail: str, *, code: str | None = None, field: str | None = None,
            headers: dict[str, str] | None = None, **extra: object) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
                               "detail": detail, "code": code or CODES.get(status, "error")}
    if field:
        body["field"] = field
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def response_doc(description: str) -> dict:
    """An OpenAPI response entry whose body is a Problem."""
    return {"description": description,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
