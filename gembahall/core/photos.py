"""The one upload path for photos: size and pixel caps, decoded and re-encoded
(EXIF, GPS included, stripped after applying its orientation), a thumbnail and
a SHA-256 of what is stored."""

import hashlib
import io
import warnings

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


@transaction.atomic
def photo_store(*, actor, center, upload, unit=None, caption: str = "") -> Photo:
    """Store one photo for a center (and optionally a unit) through the checks."""
    image = _open(upload)
    full = _encode(image)
    thumb = _encode(image, THUMB_SIZE)
    stored = Image.open(io.BytesIO(full))
    photo = Photo(
        center=center,
        unit=unit,
        uploaded_by=actor,
        caption=caption,
        sha256=hashlib.sha256(full).hexdigest(),
        width=stored.width,
        height=stored.height,
        size=len(full),
    )
    name = f"{photo.public_id}.jpg"
    photo.image.save(name, ContentFile(full), save=False)
    photo.thumbnail.save(name, ContentFile(thumb), save=False)
    photo.save()
    event_record(
        actor=actor, action="photo.store", target=photo, after={"sha256": photo.sha256}
    )
    return photo
