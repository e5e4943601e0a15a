"""Record URLs built without calling reverse() per row."""

from django.urls import reverse

from gembahall.core.urls_fast import record_url
from tests import factories as f


def test_record_urls_match_django_reverse(db):

    unit = f.unit(f.center())
    expected = reverse("org:unit_detail", args=[unit.public_id])
    assert (
        record_url("org:unit_detail", unit.public_id)
        == expected
        == unit.get_absolute_url()
    )
