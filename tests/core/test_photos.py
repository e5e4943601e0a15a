"""The one photo upload path: limits, re-encoding, EXIF removal, scoped serving."""

import hashlib
import io
import struct
import time
import zlib
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from gembahall.core import photos
from gembahall.core.models import Photo
from gembahall.core.periodic import tick
from gembahall.core.photos import photo_store
from tests import factories as f

GPS_IFD = 0x8825


def image_bytes(fmt="JPEG", size=(320, 240), gps=False, orientation=None) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (29.0, 58.0, 12.0), 3: "E", 4: (121.0, 33.0, 1.0)}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    extra = {"exif": exif.tobytes()} if (gps or orientation) else {}
    image.save(out, format=fmt, **extra)
    return out.getvalue()


@contextmanager
def decoding_watched():
    """The transactions open around each photo's decoding, beyond the test's
    own: 0 when it happens before the service's transaction, which on SQLite
    holds the database's one write lock while it lasts."""
    depths = []
    base = len(connection.atomic_blocks)
    encode = photos._encode

    def watched(image, size=None):
        depths.append(len(connection.atomic_blocks) - base)
        return encode(image, size)

    with mock.patch.object(photos, "_encode", watched):
        yield depths


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def hall(hall):
    hall.head1 = hall.head
    hall.add("head2", "window_head", unit=hall.w2, username="head2")
    return hall


def store(hall, data, **kwargs):
    return photo_store(
        actor=hall["inspector"],
        center=hall["center"],
        unit=hall["w1"],
        upload=upload(data, **kwargs),
    )


def test_gps_exif_is_removed_and_the_stored_bytes_are_hashed(hall):
    raw = image_bytes(gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(raw)).getexif()
    photo = store(hall, raw)
    stored = photo.image.open("rb").read()
    assert GPS_IFD not in Image.open(io.BytesIO(stored)).getexif()
    assert len(Image.open(io.BytesIO(stored)).getexif()) == 0
    assert photo.sha256 == hashlib.sha256(stored).hexdigest()
    thumb = Image.open(photo.thumbnail.open("rb"))
    assert max(thumb.size) <= 480


def test_orientation_is_applied_before_exif_is_dropped(hall):
    photo = store(hall, image_bytes(size=(320, 240), orientation=6))
    assert (photo.width, photo.height) == (240, 320)


def test_heic_photos_from_phones_are_accepted(hall):
    photo = store(
        hall, image_bytes(fmt="HEIF"), name="IMG_0001.HEIC", content_type="image/heic"
    )
    assert Image.open(photo.image.open("rb")).format == "JPEG"


@pytest.mark.parametrize(
    "data,name",
    [
        (b"<html><body>not a photo</body></html>", "evil.jpg"),
        (b"\xff\xd8\xff" + b"\x00" * 64, "truncated.jpg"),
    ],
)
def test_files_that_are_not_photos_are_refused_and_nothing_stored(hall, data, name):
    with pytest.raises(ValidationError) as error:
        store(hall, data, name=name)
    assert "photo" in error.value.message_dict
    assert not Photo.objects.exists()


def test_files_over_ten_megabytes_are_refused(hall):
    with pytest.raises(ValidationError):
        store(hall, image_bytes() + b"\x00" * (10 * 1024 * 1024))
    assert not Photo.objects.exists()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height pixels and holds only a few bytes
    of data: what a decompression bomb looks like to the header reader."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def media_files(settings) -> list:
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_a_9999_pixel_square_png_is_refused_from_its_header_and_nothing_stored(
    hall, settings
):
    bomb = upload(png_header_only(9999, 9999), "bomb.png", "image/png")
    with (
        mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")),
        translation.override("en"),
        pytest.raises(ValidationError) as error,
    ):
        photo_store(
            actor=hall["inspector"], center=hall["center"], unit=hall["w1"], upload=bomb
        )
    message = error.value.message_dict["photo"][0]
    assert "bomb.png" in message and "at most 50 are accepted" in message
    assert not Photo.objects.exists()
    assert media_files(settings) == []


def test_the_pixel_cap_is_a_setting(hall, settings):
    settings.PHOTO_MAX_PIXELS = 320 * 240 - 1
    with pytest.raises(ValidationError):
        store(hall, image_bytes(size=(320, 240)))
    settings.PHOTO_MAX_PIXELS = 320 * 240
    assert store(hall, image_bytes(size=(320, 240))).width == 320


def test_six_bombs_in_one_spot_report_are_refused_naming_the_photos_field(
    client, hall, settings
):
    f.signed_in(client, hall["inspector"])
    bombs = [
        upload(png_header_only(9999, 9999), f"bomb{i}.png", "image/png")
        for i in range(6)
    ]
    with mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")):
        response = client.post(
            reverse("rectification:report"),
            {
                "unit": hall["w1"].pk,
                "description": "桌面杂乱",
                "severity": "general",
                "source": "spot",
                "photos": bombs,
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert "百万像素" in response.context["form"].errors["photos"][0]
    assert media_files(settings) == []


def test_a_person_sending_photos_too_fast_is_refused_until_the_window_passes(
    hall, settings
):
    settings.PHOTO_RATE_LIMIT = 2
    store(hall, image_bytes())
    store(hall, image_bytes())
    with translation.override("en"), pytest.raises(ValidationError) as error:
        store(hall, image_bytes())
    assert "2 photos in 10 minutes" in error.value.message_dict["photo"][0]
    assert Photo.objects.count() == 2
    # Another person is not held up by the first one's count.
    photo_store(
        actor=hall["head1"],
        center=hall["center"],
        unit=hall["w1"],
        upload=upload(image_bytes()),
    )
    later = time.time() + settings.PHOTO_RATE_MINUTES * 60
    with mock.patch.object(photos.time, "time", return_value=later):
        assert store(hall, image_bytes()).pk


def test_orphan_photo_files_are_deleted_after_the_grace_period(hall, settings):
    kept = store(hall, image_bytes())
    folder = settings.MEDIA_ROOT / kept.image.name.rsplit("/", 1)[0]
    orphan = folder / "left-by-a-failed-request.jpg"
    orphan.write_bytes(b"x")
    now = timezone.now()
    assert photos.photo_orphans_clean(now) == 0  # still within its grace
    later = now + timedelta(hours=settings.PHOTO_ORPHAN_HOURS + 1)
    assert tick(later, only=["photo_orphans"]) == {"photo_orphans": 1}
    assert not orphan.exists()
    assert kept.image.storage.exists(kept.image.name)
    assert kept.thumbnail.storage.exists(kept.thumbnail.name)


def test_photos_are_served_only_within_scope(client, hall):
    photo = store(hall, image_bytes())
    url = reverse("core:photo", args=[photo.public_id])
    f.signed_in(client, hall["head1"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    f.signed_in(client, hall["inspector"])
    assert (
        client.get(reverse("core:photo_thumbnail", args=[photo.public_id])).status_code
        == 200
    )
    f.signed_in(client, hall["head2"])
    assert client.get(url).status_code == 404


def test_a_photo_is_decoded_before_its_transaction_opens(hall):
    with decoding_watched() as depths:
        store(hall, image_bytes())
    assert depths == [0, 0]  # the photo and its thumbnail
