"""Background jobs show their progress, and the page polls until they finish."""

import pytest
from django.urls import reverse

from gembahall.core.models import Job
from tests import factories as f


@pytest.fixture
def admin(db):
    c = f.center()
    p = f.person(c, username="sys")
    f.grant(p, "sysadmin")
    return p


def test_running_job_shows_its_percentage_and_keeps_polling(client, admin):
    job = Job.objects.create(
        center=admin.center,
        kind="k",
        title="重建",
        created_by=admin,
        state="running",
        total=4,
        done=1,
    )
    f.signed_in(client, admin)
    url = reverse("core:job_detail", args=[job.public_id])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert 'aria-valuenow="25"' in fragment and 'hx-trigger="every 1s"' in fragment


def test_finished_job_stops_polling(client, admin):
    job = Job.objects.create(
        center=admin.center, kind="k", title="重建", created_by=admin, state="done"
    )
    f.signed_in(client, admin)
    page = client.get(reverse("core:job_detail", args=[job.public_id])).content.decode()
    assert 'aria-valuenow="100"' in page and "hx-trigger" not in page
