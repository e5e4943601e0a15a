"""Citizens' numbers are erased a set number of days after their follow-up
closes, by the periodic job, with an event that counts them."""

from datetime import timedelta

from django.utils import timezone

from gembahall.core.models import Event
from gembahall.core.periodic import tick
from gembahall.ratings.models import FollowUp, Rating
from gembahall.ratings.services import rating_submit

PHONE = "13812340000"


def visited(rating, days_ago):
    FollowUp.objects.filter(rating=rating).update(
        visited_at=timezone.now() - timedelta(days=days_ago), visit_outcome="satisfied"
    )


def test_a_number_is_erased_once_its_follow_up_has_been_closed_long_enough(
    hall, settings
):
    settings.GEMBAHALL_PHONE_RETENTION_DAYS = 30
    old = rating_submit(window=hall.a01, level=1, reasons=["attitude"], phone=PHONE)
    recent = rating_submit(window=hall.a01, level=1, reasons=["slow"], phone=PHONE)
    open_ = rating_submit(window=hall.a02, level=2, reasons=["slow"], phone=PHONE)
    visited(old, 31)
    visited(recent, 10)
    done = tick(only=["ratings.phone_erase"])
    assert done == {"ratings.phone_erase": 1}
    phones = dict(Rating.objects.values_list("pk", "phone"))
    assert phones == {old.pk: "", recent.pk: PHONE, open_.pk: PHONE}
    event = Event.objects.get(action="pii.phone_erase")
    assert (event.center_id, event.actor_id) == (hall.center.pk, None)
    assert event.after == {"erased": 1} and PHONE not in str(event.after)
    # Run again: nothing more is due, nothing more is written.
    assert tick(only=["ratings.phone_erase"]) == {"ratings.phone_erase": 0}
    assert Event.objects.filter(action="pii.phone_erase").count() == 1
    # The retention is a setting.
    settings.GEMBAHALL_PHONE_RETENTION_DAYS = 5
    assert tick(only=["ratings.phone_erase"]) == {"ratings.phone_erase": 1}
    assert Rating.objects.get(pk=recent.pk).phone == ""
