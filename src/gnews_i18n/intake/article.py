"""The article as intake hands it on: metadata and ordered blocks of text."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

BLOCK_KINDS = ("subtitle", "heading", "paragraph", "list_item", "quote", "caption", "figure")
# A figure is a photo: ``src`` names its image file, ``text`` is its alt text (translated like
# any sentence); a ``caption`` block right after a figure is that photo's caption.
FIGURE = "figure"


class IntakeError(ValueError):
    """A submitted article cannot be taken in; the message says why and what to do.

    ``field`` names the part of the article at fault (``title``, ``blocks[2].level``) when one is.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ArticleTooLarge(IntakeError):
    """The article is over the size limit (HTTP 413)."""


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    level: int = 0
    src: str | None = None  # a figure's image file, as the article names it

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        if (self.kind == FIGURE) != bool(self.src):
            raise ValueError("a figure block needs its image (src), and only a figure has one")

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.src is None:  # the stored shape of every other block stays as it was
            del data["src"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Block:
        return cls(kind=data["kind"], text=data["text"], level=int(data.get("level", 0)), src=data.get("src"))


@dataclass
class ParsedArticle:
    title: str
    blocks: list[Block]
    lang: str | None = None
    date: dt.date | None = None
    author: str | None = None
    category: str | None = None
    slug: str | None = None
    source_format: str = "text"
    extra: dict = field(default_factory=dict)
    photos: dict = field(default_factory=dict)  # figure src → intake.photos.Photo, once the files are read

    def photo_names(self) -> list[str]:
        """The image files the figures name, each once, in order."""
        return list(dict.fromkeys(block.src for block in self.blocks if block.src))

    @property
    def body_text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    def checksum(self) -> str:
        """Identifies the content, so a resubmission of the same text is recognized."""
        digest = hashlib.sha256()
        for part in [self.title, *(f"{b.kind}:{b.level}:{b.text}" + (f":{b.src}" if b.src else "")
                                   for b in self.blocks)]:
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        for name in sorted(self.photos):  # a photo replaced under the same name is a new revision
            digest.update(f"photo:{name}:{self.photos[name].sha256}".encode())
            digest.update(b"\x00")
        return digest.hexdigest()


_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
)


def parse_date(value: object) -> dt.date | None:
    """A date from front matter or a page: ISO, 2023.11.21, 2023년 11월 21일."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def slugify(title: str, date: dt.date | None = None, max_length: int = 80) -> str:
    """An ASCII slug from the title; Hangul-only titles get a date and a short hash."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if len(slug) < 8:
        stamp = date.isoformat() if date else "article"
        slug = f"{stamp}-{hashlib.sha1(title.encode()).hexdigest()[:8]}"
    return slug


SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")  # used with fullmatch: `$` would accept a final newline


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
