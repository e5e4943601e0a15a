"""The reminder job: before the deadline, when overdue, never twice."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from gembahall.core.models import Notification
from gembahall.org.models import Pairing
from gembahall.rectification import services
from gembahall.rectification.queries import overdue_for
from gembahall.rectification.reminders import remind

from .conftest import photo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def late(hall):
    Pairing.objects.create(
        center=hall["center"], member=hall["member"], unit=hall["w1"]
    )
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        return services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description="表单超上限",
            uploads=[photo()],
        )


def kinds(person):
    return list(
        Notification.objects.filter(person=person)
        .exclude(kind="problem.new")
        .values_list("kind", flat=True)
    )


def test_overdue_reaches_director_and_paired_member_once(
    hall, late, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.GEMBAHALL_EMAIL_REMINDERS = True
    hall["director"].user.email = "director@example.org"
    hall["director"].user.save()
    # Deadline Thursday 3 December; on Friday 4 December it has passed.
    with time_machine.travel(datetime(2026, 12, 4, 8, tzinfo=SHANGHAI)):
        assert late.is_overdue
        with django_capture_on_commit_callbacks(execute=True):
            assert remind() == {"due_soon": 0, "overdue": 1}
        assert remind() == {"due_soon": 0, "overdue": 0}
        out = io.StringIO()
        call_command("remind", stdout=out)
        assert out.getvalue().strip() == "deadline near: 0, overdue: 0"
        member_home = overdue_for(hall["member"], hall["center"])
    assert kinds(hall["director"]) == ["problem.overdue_digest"]
    assert kinds(hall["member"]) == ["problem.overdue_digest"]
    assert kinds(hall["head"]) == ["problem.overdue"]
    assert kinds(hall["liaison"]) == ["problem.overdue"]
    assert kinds(hall["head2"]) == []
    assert [m.to for m in mailoutbox] == [["director@example.org"]]
    assert member_home["paired_overdue"] == [late]
    assert "paired_overdue" not in overdue_for(hall["head2"], hall["center"])


def test_a_working_day_before_the_deadline_the_owner_is_reminded(hall, late):
    with time_machine.travel(datetime(2026, 12, 1, 8, tzinfo=SHANGHAI)):
        assert remind() == {"due_soon": 0, "overdue": 0}
    with time_machine.travel(datetime(2026, 12, 2, 8, tzinfo=SHANGHAI)):
        assert remind() == {"due_soon": 1, "overdue": 0}
        assert remind() == {"due_soon": 0, "overdue": 0}
    assert kinds(hall["head"]) == ["problem.due_soon"]
    assert kinds(hall["director"]) == []


def test_a_submitted_fix_is_not_overdue(hall, late):
    services.problem_submit(
        actor=hall["head"], problem=late, cause="c", action="a", uploads=[photo()]
    )
    with time_machine.travel(datetime(2026, 12, 10, 8, tzinfo=SHANGHAI)):
        assert remind() == {"due_soon": 0, "overdue": 0}
        late.refresh_from_db()
        assert not late.is_overdue
