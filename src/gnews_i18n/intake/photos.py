"""The photos an article shows: each image file checked by its content and cleaned of metadata.

An article's figures name their image (``photos/ajou.jpg``); the door that takes the article
in (the CLI, next to the article file; the API and the desk, as uploaded files) hands the
bytes here. A file is taken only when Pillow reads it as JPEG, PNG, WebP or GIF — whatever
its name says — within the byte and pixel limits (``GNEWS_MAX_PHOTO_BYTES``,
``GNEWS_MAX_PHOTO_PIXELS``). What is kept is the picture alone: it is written again without
EXIF (GPS position, device serial, owner name), XMP, IPTC or text chunks (issue 25), the
EXIF orientation applied first so the picture still stands the right way up.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from gnews_i18n.intake.article import IntakeError, ParsedArticle

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# Everything but pixels and colour that a file may carry: EXIF (GPS, serial, owner), XMP, IPTC, comments.
_METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "adobe", "icc_profile")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000  # 40 megapixels: any camera's photo; a decompression bomb is far beyond


class PhotoError(IntakeError):
    """An image file cannot be taken in; the message names the file and says what to do."""


@dataclass(frozen=True)
class Photo:
    """One cleaned image: ``name`` as the article refers to it, the bytes to store and publish."""

    name: str
    data: bytes
    media_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def suffix(self) -> str:
        return next(s for f, s in SUFFIXES.items() if MEDIA_TYPES[f] == self.media_type)

    def published_name(self) -> str:
        """The file name on the site: the content's hash, so a changed photo is a new URL (caches)."""
        return f"{self.sha256[:16]}{self.suffix}"


def normalize_name(name: str) -> str:
    """How a figure's ``src`` and an uploaded file's name are compared: a relative POSIX path."""
    name = name.strip().replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return posixpath.normpath(name) if name else name


def read_photo(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES,
               max_pixels: int = DEFAULT_MAX_PIXELS) -> Photo:
    """``data`` checked (content, size, pixels) and written again without its metadata."""
    if not data:
        raise PhotoError(f"{name}: the image file is empty; attach the photo itself", name)
    if len(data) > max_bytes:
        raise PhotoError(f"{name}: the image is {len(data) / 1024 / 1024:.1f} MB; the limit is "
                         f"{max_bytes / 1024 / 1024:.1f} MB. Make it smaller (a news photo needs no more than "
                         "about 2000 pixels across), or raise GNEWS_MAX_PHOTO_BYTES", name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
            width, height = image.size
            if image_format not in MEDIA_TYPES:
                raise PhotoError(f"{name}: the file is {image_format or 'an unknown'} image; photos must be JPEG, "
                                 "PNG, WebP or GIF. Save it in one of those formats", name)
            if width * height > max_pixels:
                raise PhotoError(f"{name}: the image is {width}×{height} pixels ({width * height / 1e6:.0f} "
                                 f"megapixels); the limit is {max_pixels / 1e6:.0f}. Scale it down, or raise "
                                 "GNEWS_MAX_PHOTO_PIXELS", name)
            image.load()
            return _clean(name, image, image_format)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"{name}: this is not an image Pillow can read (by its content, whatever the name says); "
                         "attach the photo as JPEG, PNG, WebP or GIF", name) from None
    except (OSError, SyntaxError, ValueError) as error:  # truncated or damaged data
        raise PhotoError(f"{name}: the image is damaged and cannot be read ({error}); export it again", name) \
            from None


def _clean(name: str, image: Image.Image, image_format: str) -> Photo:
    """The picture written again with nothing but its pixels (and its colour profile)."""
    icc = image.info.get("icc_profile")
    animated = image_format in ("GIF", "WEBP") and getattr(image, "n_frames", 1) > 1
    if not animated:
        upright = ImageOps.exif_transpose(image)  # the orientation EXIF said, applied to the pixels
        image = upright if upright is not None else image
    for key in _METADATA:  # what save() would copy from the opened file (a GIF's comment, say)
        image.info.pop(key, None)
    out = io.BytesIO()
    options: dict = {"icc_profile": icc} if icc else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True, **options)
    elif image_format == "PNG":
        image.save(out, "PNG", optimize=True, **options)
    elif image_format == "WEBP":
        image.save(out, "WEBP", quality=90, save_all=animated, **options)
    else:
        image.save(out, "GIF", save_all=animated)
    return Photo(name=name, data=out.getvalue(), media_type=MEDIA_TYPES[image_format], width=image.width,
                 height=image.height)


def attach_photos(article: ParsedArticle, files: dict[str, bytes | None], source: str = "<input>", *,
                  max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS) -> list[str]:
    """Read the image of every figure of ``article`` from ``files`` (name → bytes; None: not there)
    into ``article.photos``; returns the names no file was given for (the store may hold them
    from the article's last revision: ``articles.submission`` decides). A file that is given but
    is no photo, or a photo on the web, is refused here: every problem in one PhotoError naming
    each file, so the editor fixes them in one go and nothing is stored meanwhile."""
    given = {normalize_name(key): value for key, value in files.items()}
    # a browser uploads a file by its base name: ajou.jpg stands for photos/ajou.jpg
    by_base = {posixpath.basename(key): value for key, value in given.items()}
    problems: list[str] = []
    missing: list[str] = []
    for name in article.photo_names():
        data = given.get(normalize_name(name))
        if data is None:
            data = by_base.get(posixpath.basename(normalize_name(name)))
        if "://" in name or name.startswith("//"):
            problems.append(f"{source}: the photo {name} is on the web; photos are taken from files. Save it, refer "
                            "to it by its file name (photos/name.jpg) and give that file with the article")
        elif data is None:
            missing.append(name)
        else:
            try:
                article.photos[name] = read_photo(name, data, max_bytes=max_bytes, max_pixels=max_pixels)
            except PhotoError as error:
                problems.append(f"{source}: {error}")
    if problems:
        raise PhotoError("\n".join(problems), "photos")
    return missing


def missing_photos(source: str, names: list[str]) -> PhotoError:
    """The error for figures whose image file nobody gave."""
    return PhotoError("\n".join(f"{source}: the photo {name} is missing; put the image file at that path next to the "
                                "article (or attach it under that name) and submit again" for name in names), "photos")


def files_beside(article: ParsedArticle, directory: Path) -> dict[str, bytes | None]:
    """The image files an article's figures name, read from ``directory`` (the article file's own);
    None for a file that is not there or cannot be read."""
    files: dict[str, bytes | None] = {}
    for name in article.photo_names():
        try:
            files[name] = (directory / normalize_name(name)).read_bytes() if "://" not in name else None
        except OSError:
            files[name] = None
    return files


__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_PIXELS", "MEDIA_TYPES", "Photo", "PhotoError", "attach_photos",
           "files_beside", "missing_photos", "normalize_name", "read_photo"]
