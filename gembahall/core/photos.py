"""The one upload path for photos: size and pixel caps, decoded and re-encoded
(EXIF, GPS included, stripped after applying its orientation), a thumbnail and
a SHA-256 of what is stored."""

import functools
import hashlib
import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .audit import event_record
from .models import Photo

pillow_heif.register_heif_opener()

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 100_000_000
# Pillow's own bomb guard warns above this and refuses above twice it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
THUMB_SIZE = (480, 480)
JPEG_QUALITY = 85


def _reject(message: str):
    return ValidationError({"photo": message}, code="invalid_photo")


def _open(upload) -> Image.Image:
    """Decode an upload fully, refusing anything that is not a photo."""
    if upload.size > MAX_BYTES:
        raise _reject(_("The photo is larger than 10 MB."))
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        if image.format not in ACCEPTED_FORMATS:
            raise _reject(_("Upload a JPEG, PNG, WebP or HEIC photo."))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _reject(_("The photo has more than 100 megapixels."))
        image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _reject(_("The photo has more than 100 megapixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise _reject(_("The file is not a readable photo.")) from None
    return image


def _encode(image: Image.Image, size=None) -> bytes:
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    if size:
        image = image.copy()
        image.thumbnail(size)
    out = io.BytesIO()
    # Saving without exif= drops every EXIF tag, GPS position included.
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class PhotoFile:
    """A photo decoded, checked and re-encoded: ready to store."""

    full: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str


def photo_prepare(upload) -> PhotoFile:
    """Decode, check and re-encode an upload, touching no database. A large
    photo takes seconds; inside a transaction that would hold SQLite's one
    write lock for as long, and every sign-in in the hall would wait."""
    if isinstance(upload, PhotoFile):
        return upload
    image = _open(upload)
    full = _encode(image)
    thumb = _encode(image, THUMB_SIZE)
    stored = Image.open(io.BytesIO(full))
    return PhotoFile(
        full=full,
        thumb=thumb,
        width=stored.width,
        height=stored.height,
        sha256=hashlib.sha256(full).hexdigest(),
    )


def decodes_photos_first(service):
    """Run a service with its `upload` or `uploads` already through
    photo_prepare, so that the decoding happens before the service's
    transaction opens; put it above @transaction.atomic."""

    @functools.wraps(service)
    def decoded(*args, **kwargs):
        if "upload" in kwargs:
            kwargs["upload"] = photo_prepare(kwargs["upload"])
        if "uploads" in kwargs:
            kwargs["uploads"] = [photo_prepare(u) for u in kwargs["uploads"]]
        return service(*args, **kwargs)

    return decoded


@decodes_photos_first
@transaction.atomic
def photo_store(
    *, actor, center, upload: PhotoFile, unit=None, caption: str = ""
) -> Photo:
    """Store one photo for a center (and optionally a unit) through the checks."""
    photo = Photo(
        center=center,
        unit=unit,
        uploaded_by=actor,
        caption=caption,
        sha256=upload.sha256,
        thumbnail_sha256=hashlib.sha256(upload.thumb).hexdigest(),
        width=upload.width,
        height=upload.height,
        size=len(upload.full),
    )
    name = f"{photo.public_id}.jpg"
    photo.image.save(name, ContentFile(upload.full), save=False)
    photo.thumbnail.save(name, ContentFile(upload.thumb), save=False)
    photo.save()
    event_record(
        actor=actor, action="photo.store", target=photo, after={"sha256": photo.sha256}
    )
    return photo
