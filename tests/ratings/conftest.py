from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gembahall.casework.events import ticket_event_record
from gembahall.casework.models import Source
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def hall(db):
    c = f.center(code="hall")
    dept = f.department(c)
    a01 = f.unit(c, code="A01", dept=dept)
    a02 = f.unit(c, code="A02", dept=dept)
    head = f.person(c, a01, username="head")
    f.grant(head, "window_head", unit=a01)
    a01.head = head
    a01.save()
    other_head = f.person(c, a02, username="head2")
    f.grant(other_head, "window_head", unit=a02)
    inspector = f.person(c, username="insp")
    f.grant(inspector, "inspector")
    clerk = f.person(c, a01)
    source = Source.objects.create(center=c, kind="tickets", name="q")
    today = timezone.localdate()
    start = datetime.combine(today, datetime.min.time(), tzinfo=TZ)
    ticket_event_record(
        source=source, event_id="1", ticket_no="A001", kind="taken", at=start
    )
    ticket, _new = ticket_event_record(
        source=source,
        event_id="2",
        ticket_no="A001",
        kind="finished",
        at=start + timedelta(minutes=10),
        window="A01",
        staff_no=clerk.staff_number,
        status="served",
    )
    return type(
        "Hall",
        (),
        {
            "center": c,
            "dept": dept,
            "a01": a01,
            "a02": a02,
            "head": head,
            "other_head": other_head,
            "inspector": inspector,
            "clerk": clerk,
            "ticket": ticket,
            "source": source,
        },
    )
