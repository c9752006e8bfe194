"""OpenAPI links: what a client can do next with what an answer gave it.

A link says "the ``article_id`` this submission answered is the ``article_id`` of that
GET" (OpenAPI 3 ``links``, runtime expressions). Clients and generators read them; the
fuzzer's stateful phase (tests/test_fuzz_api.py) follows them to chain calls — submit an
article, then read, comment on and approve what it made. Each link is written here once,
by path and method; building the schema fails when either end is not an operation, so a
renamed route cannot leave a link pointing nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

__all__ = ["LINKS", "Link", "document_links"]


@dataclass(frozen=True)
class Link:
    source: str  # "POST /api/articles"
    status: str  # the answer it follows: "201"
    name: str
    target: str  # "GET /api/articles/{article_id}"
    parameters: tuple[tuple[str, str], ...]  # (target parameter, runtime expression)
    description: str


def _links(source: str, status: str, parameters: dict[str, str], *targets: tuple[str, str, str]) -> list[Link]:
    return [Link(source, status, name, target, tuple(parameters.items()), description)
            for name, target, description in targets]


ARTICLE = {"article_id": "$response.body#/article_id"}
FIRST_TRANSLATION = {"translation_id": "$response.body#/translation_ids/0"}
SAME_TRANSLATION = {"translation_id": "$request.path.translation_id"}
ISSUE = {"number": "$response.body#/number"}
SAME_ISSUE = {"number": "$request.path.number"}
USER = {"name": "$response.body#/name"}
SAME_USER = {"name": "$request.path.name"}

LISTED_ARTICLE = {"article_id": "$response.body#/0/id"}
LISTED_TRANSLATION = {"translation_id": "$response.body#/0/id"}
LISTED_ISSUE = {"number": "$response.body#/0/number"}
LISTED_USER = {"name": "$response.body#/0/name"}

LINKS: list[Link] = [
    # From the lists: the first item listed (articles, translations and users by id or name, issues newest first)
    *_links("GET /api/articles", "200", LISTED_ARTICLE,
            ("GetListedArticle", "GET /api/articles/{article_id}", "The first article listed."),
            ("GetListedRevisions", "GET /api/articles/{article_id}/revisions", "Its revisions.")),
    *_links("GET /api/translations", "200", LISTED_TRANSLATION,
            ("GetListedTranslation", "GET /api/translations/{translation_id}", "The first translation listed."),
            ("CommentOnListedTranslation", "POST /api/translations/{translation_id}/comments", "A comment on it.")),
    *_links("GET /api/issues", "200", LISTED_ISSUE,
            ("GetListedIssue", "GET /api/issues/{number}", "The newest issue."),
            ("AddArticleToListedIssue", "POST /api/issues/{number}/articles", "Put an article in it.")),
    *_links("GET /api/users", "200", LISTED_USER,
            ("ListTokensOfListedUser", "GET /api/users/{name}/tokens", "The first user's tokens.")),
    # From what a call made
    *_links("POST /api/articles", "201", ARTICLE,
            ("GetArticle", "GET /api/articles/{article_id}", "The article just submitted."),
            ("GetRevisions", "GET /api/articles/{article_id}/revisions", "Its revisions.")),
    *_links("POST /api/articles", "201", FIRST_TRANSLATION,
            ("GetTranslation", "GET /api/translations/{translation_id}", "The first translation it queued."),
            ("CommentOnTranslation", "POST /api/translations/{translation_id}/comments",
             "A comment on that translation.")),
    *_links("GET /api/translations/{translation_id}", "200",
            {**SAME_TRANSLATION, "ref": "$response.body#/segments/0/id"},
            ("EditFirstSegment", "PUT /api/translations/{translation_id}/segments/{ref}",
             "The reviewer's text for its first segment."),
            ("ApproveFirstSegment", "POST /api/translations/{translation_id}/segments/{ref}/approve",
             "Approve its first segment.")),
    *_links("GET /api/translations/{translation_id}", "200", SAME_TRANSLATION,
            ("ApproveTranslation", "POST /api/translations/{translation_id}/approve", "Approve it whole."),
            ("RequestChanges", "POST /api/translations/{translation_id}/request-changes", "Send it back."),
            ("ExportPo", "GET /api/translations/{translation_id}/po", "Its PO file."),
            ("ExportXliff", "GET /api/translations/{translation_id}/xliff", "Its XLIFF file."),
            ("GetHistory", "GET /api/translations/{translation_id}/history", "Its audit trail.")),
    *_links("PUT /api/translations/{translation_id}/segments/{ref}", "200", SAME_TRANSLATION,
            ("HistoryAfterEdit", "GET /api/translations/{translation_id}/history", "The edit in the audit trail.")),
    *_links("POST /api/translations/{translation_id}/comments", "201", SAME_TRANSLATION,
            ("GetComments", "GET /api/translations/{translation_id}/comments", "The comment among the others.")),
    *_links("POST /api/translations/{translation_id}/approve", "200", {"translation_id": "$response.body#/id"},
            ("PublishApproved", "POST /api/translations/{translation_id}/publish", "Publish it (again).")),
    *_links("POST /api/issues", "201", ISSUE,
            ("GetIssue", "GET /api/issues/{number}", "The issue just created."),
            ("AddArticleToIssue", "POST /api/issues/{number}/articles", "Put an article in it."),
            ("ReleaseIssue", "POST /api/issues/{number}/release", "Release it.")),
    *_links("POST /api/issues/{number}/articles", "200",
            {**SAME_ISSUE, "article_id": "$request.body#/article"},
            ("RemoveArticleFromIssue", "DELETE /api/issues/{number}/articles/{article_id}",
             "Take that article out again.")),
    *_links("POST /api/users", "201", USER,
            ("NewToken", "POST /api/users/{name}/tokens", "A token for the new user."),
            ("ListTokens", "GET /api/users/{name}/tokens", "The user's tokens."),
            ("DeactivateUser", "POST /api/users/{name}/deactivate", "Deactivate the user."),
            ("RemoveUser", "DELETE /api/users/{name}", "Delete the user.")),
    *_links("POST /api/users/{name}/deactivate", "200", SAME_USER,
            ("ActivateUser", "POST /api/users/{name}/activate", "Let the user in again.")),
]


def _operations(schema: dict) -> dict[str, dict]:
    return {f"{method.upper()} {path}": operation
            for path, operations in schema.get("paths", {}).items() for method, operation in operations.items()}


def add_links(schema: dict, links: list[Link] = LINKS) -> dict:
    """``schema`` with each link under its source's response (by operationId); a link whose
    source, answer or target is not in the schema raises ValueError."""
    operations = _operations(schema)
    for link in links:
        source, target = operations.get(link.source), operations.get(link.target)
        if source is None or target is None:
            raise ValueError(f"OpenAPI link {link.name}: no operation {link.source if source is None else link.target}")
        response = source.get("responses", {}).get(link.status)
        if response is None:
            raise ValueError(f"OpenAPI link {link.name}: {link.source} has no {link.status} answer")
        names = {p["name"] for p in target.get("parameters", []) if p.get("in") == "path"}
        if names != {name for name, _ in link.parameters}:
            raise ValueError(f"OpenAPI link {link.name}: {link.target} takes {sorted(names)}, "
                             f"the link gives {[name for name, _ in link.parameters]}")
        response.setdefault("links", {})[link.name] = {
            "operationId": target["operationId"], "parameters": dict(link.parameters),
            "description": link.description}
    return schema


def document_links(app: FastAPI) -> None:
    """The app's OpenAPI carries ``LINKS`` (built once, with the rest of the schema)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:  # the first build; later calls get the cached, linked schema
            add_links(build())
        return build()

    app.openapi = openapi  # type: ignore[method-assign]
