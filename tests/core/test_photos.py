"""The one photo upload path: limits, re-encoding, EXIF removal, scoped serving."""

import hashlib
import io
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from PIL import Image

from gembahall.core import photos
from gembahall.core.models import Photo
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


def test_images_over_one_hundred_megapixels_are_refused(hall):
    out = io.BytesIO()
    Image.new("1", (10_001, 10_001)).save(out, format="PNG")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        store(hall, out.getvalue(), name="huge.png", content_type="image/png")
    assert "100 megapixels" in error.value.message_dict["photo"][0]
    assert not Photo.objects.exists()


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
