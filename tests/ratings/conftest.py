from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gembahall.casework.events import ticket_event_record
from gembahall.casework.models import Source

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def hall(hall):
    hall.head_of(hall.a02, "other_head", username="head2")
    hall.source = source = Source.objects.create(
        center=hall.center, kind="tickets", name="q"
    )
    today = timezone.localdate()
    start = datetime.combine(today, datetime.min.time(), tzinfo=TZ)
    ticket_event_record(
        source=source, event_id="1", ticket_no="A001", kind="taken", at=start
    )
    hall.ticket, _new = ticket_event_record(
        source=source,
        event_id="2",
        ticket_no="A001",
        kind="finished",
        at=start + timedelta(minutes=10),
        window="A01",
        staff_no=hall.clerk.staff_number,
        status="served",
    )
    return hall
