"""Review files over HTTP: XLIFF beside PO (``GET|PUT /api/translations/{id}/xliff``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from gnews_i18n.auth.permissions import Actor
from gnews_i18n.auth.requests import ItemId, current_actor, database
from gnews_i18n.config import load_settings
from gnews_i18n.review import actions
from gnews_i18n.review.files import apply_for, export_review

router = APIRouter(prefix="/api")
Who = Annotated[Actor, Depends(current_actor)]


@router.get("/translations/{translation_id}/xliff", tags=["review"], response_class=Response,
            responses={200: {"content": {"application/xliff+xml": {}}}})


def export_xliff(translation_id: ItemId, actor: Who,
                 version: Annotated[str, Query(pattern="^(1\\.2|2\\.0)$", description="XLIFF 1.2 or 2.0")] = "1.2",
                 ) -> Response:
    """The draft as XLIFF, for offline review in a CAT tool (memoQ, Trados, OmegaT …)."""
    with database().session() as session:
        actions.get_translation(session, translation_id)
        exported = export_review(session, translation_id, "xliff2" if version == "2.0" else "xliff")
    return Response(exported.text, media_type=exported.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})


@router.put("/translations/{translation_id}/xliff", tags=["review"],
            responses={422: {"description": "the file has problems (listed); nothing was applied"}})
async def import_xliff(translation_id: ItemId, request: Request, actor: Who) -> dict:
    """Apply a reviewed XLIFF 1.2 or 2.0 file (the request body): all of it, or nothing with a list of problems."""
    data = await request.body()
    with database().session() as session:
        return apply_for(session, load_settings(), translation_id, data, f"translation-{translation_id}.xlf", actor,
                         "xliff")

