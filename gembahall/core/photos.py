"""The one upload path for photos: size and pixel caps, decoded and re-encoded
(EXIF, GPS included, stripped after applying its orientation), a thumbnail and
a SHA-256 of what is stored."""

import functools
import hashlib
import io
import logging
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta

import pillow_heif
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .audit import event_record
from .models import Photo
from .periodic import periodic

log = logging.getLogger(__name__)

pillow_heif.register_heif_opener()

# Pillow's own bomb guard warns above this and refuses above twice it; the
# header check in _open refuses first, this is the net under it.
Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
THUMB_SIZE = (480, 480)
JPEG_QUALITY = 85


def _reject(message: str, field: str = "photo"):
    return ValidationError({field: message}, code="invalid_photo")


def _too_many_pixels(upload, field: str, pixels: int | None = None):
    limit = settings.PHOTO_MAX_PIXELS / 1_000_000
    if pixels is None:
        return _reject(
            _("%(name)s: the photo has more than %(limit)g megapixels.")
            % {"name": upload.name, "limit": limit},
            field,
        )
    return _reject(
        _(
            "%(name)s: the photo has %(size).1f megapixels; at most %(limit)g are "
            "accepted."
        )
        % {"name": upload.name, "size": pixels / 1_000_000, "limit": limit},
        field,
    )


def _open(upload, field: str = "photo") -> Image.Image:
    """Decode an upload fully, refusing anything that is not a photo. The size
    in pixels comes from the image's header, read before any pixel is
    decoded: a small file can declare a picture that fills gigabytes."""
    limit = settings.PHOTO_MAX_BYTES
    if upload.size > limit:
        raise _reject(
            _("%(name)s: the photo is larger than %(limit)d MB.")
            % {"name": upload.name, "limit": limit // (1024 * 1024)},
            field,
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            # The size is checked below with a message that says it; Pillow
            # itself refuses beyond twice the cap.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        if image.format not in ACCEPTED_FORMATS:
            raise _reject(_("Upload a JPEG, PNG, WebP or HEIC photo."), field)
        width, height = image.size
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise _too_many_pixels(upload, field, width * height)
        image.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(upload, field) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise _reject(
            _("%(name)s: the file is not a readable photo.") % {"name": upload.name},
            field,
        ) from None
    return image


def photo_rate_check(*, actor, count: int, field: str = "photo") -> None:
    """Count `count` photos against the person's allowance of the current
    PHOTO_RATE_MINUTES, refusing them when it would be exceeded. Photos that
    fail their checks count too: the work of refusing them was done."""
    limit, minutes = settings.PHOTO_RATE_LIMIT, settings.PHOTO_RATE_MINUTES
    if actor is None or not limit or not count:
        return
    seconds = minutes * 60
    key = f"photo-rate:{actor.pk}:{int(time.time() // seconds)}"
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key, count)
    except ValueError:  # expired between add and incr
        cache.set(key, count, timeout=seconds)
        used = count
    if used > limit:
        cache.decr(key, count)
        raise _reject(
            _(
                "You have sent %(limit)d photos in %(minutes)d minutes, the most "
                "allowed. Wait a few minutes and send these again."
            )
            % {"limit": limit, "minutes": minutes},
            field,
        )


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


def photo_prepare(upload, *, field: str = "photo") -> PhotoFile:
    """Decode, check and re-encode an upload, touching no database. A large
    photo takes seconds; inside a transaction that would hold SQLite's one
    write lock for as long, and every sign-in in the hall would wait."""
    if isinstance(upload, PhotoFile):
        return upload
    image = _open(upload, field)
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
    transaction opens; put it above @transaction.atomic.

    Every photo is checked before the service runs, so a refused photo
    leaves nothing behind: no record, no file. The photos a person sends
    count against their rate (photo_rate_check) before any is decoded;
    a PhotoFile the product prepared itself (the demo, shipped content) is
    not an upload and does not count. Errors name the form's field: `photo`
    for one upload, `photos` for several."""

    @functools.wraps(service)
    def decoded(*args, **kwargs):
        for name, field in (("upload", "photo"), ("uploads", "photos")):
            if name not in kwargs:
                continue
            many = name == "uploads"
            files = list(kwargs[name]) if many else [kwargs[name]]
            sent = [f for f in files if f is not None and not isinstance(f, PhotoFile)]
            photo_rate_check(actor=kwargs.get("actor"), count=len(sent), field=field)
            prepared = [photo_prepare(f, field=field) for f in files]
            kwargs[name] = prepared if many else prepared[0]
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


def _stored_files(storage, folder: str):
    """(name, modified) of every file under `folder`, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{folder}/{name}"
        yield path, storage.get_modified_time(path)
    for sub in folders:
        yield from _stored_files(storage, f"{folder}/{sub}")


@periodic("photo_orphans")
def photo_orphans_clean(now: datetime) -> int:
    """Delete photo files that no photo record names, once older than
    PHOTO_ORPHAN_HOURS: a request that failed after its files were written
    (its transaction rolled back) leaves them. The grace period keeps the
    files of a request still running. Returns how many were deleted."""
    storage = Photo._meta.get_field("image").storage
    cutoff = now - timedelta(hours=settings.PHOTO_ORPHAN_HOURS)
    deleted = 0
    by_folder: dict[str, list[str]] = {}
    for path, modified in _stored_files(storage, "photos"):
        if modified < cutoff:
            by_folder.setdefault(path.rsplit("/", 1)[0], []).append(path)
    for folder, paths in by_folder.items():
        # One query per folder (a center's month): the names it holds.
        known = set(
            Photo.objects.filter(image__startswith=f"{folder}/").values_list(
                "image", flat=True
            )
        ) | set(
            Photo.objects.filter(thumbnail__startswith=f"{folder}/").values_list(
                "thumbnail", flat=True
            )
        )
        for path in paths:
            if path not in known:
                storage.delete(path)
                deleted += 1
    if deleted:
        log.info("deleted %d orphan photo files", deleted)
    return deleted
