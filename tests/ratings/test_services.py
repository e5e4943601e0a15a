import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gembahall.core.models import Event
from gembahall.core.workdays import add_working_days
from gembahall.ratings.models import Rating
from gembahall.ratings.services import RatingLimited, rating_exclude, rating_submit
from gembahall.rectification.models import Problem
from gembahall.reports.kpis import Scope, rating_kpis


def test_a_bad_rating_opens_a_callback_and_a_rectification(hall):
    rating = rating_submit(
        window=hall.a01,
        ticket=hall.ticket,
        level=1,
        reasons=["attitude"],
        comment="态度差",
    )
    followup = rating.followup
    today = timezone.localdate()
    assert followup.callback_due == add_working_days(today, 1).date
    problem = followup.problem
    assert problem.source == Problem.Source.RATING and problem.unit == hall.a01
    assert problem.owner == hall.head
    assert problem.deadline == add_working_days(today, 15).date
    assert "态度差" in problem.description
    assert rating.staff == hall.clerk


def test_sub_scores_not_given_stay_empty_and_the_kpis_average_given_ones(hall):
    today = timezone.localdate()
    one = rating_submit(window=hall.a01, level=1, attitude=1, reasons=["attitude"])
    rating_submit(window=hall.a01, level=5, efficiency=4, attitude=5)
    one.refresh_from_db()
    assert (one.efficiency, one.quality, one.attitude) == (None, None, 1)
    kpis = rating_kpis(Scope(hall.center.pk), today, today, today)
    assert kpis["efficiency_avg"] == 4 and kpis["attitude_avg"] == 3
    assert kpis["quality_avg"] is None
    rating_exclude(actor=hall.inspector, rating=one, reason="恶意")
    kpis = rating_kpis(Scope(hall.center.pk), today, today, today)
    assert kpis["attitude_avg"] == 5 and kpis["efficiency_avg"] == 4


def test_a_good_rating_opens_nothing(hall):
    rating = rating_submit(window=hall.a01, level=4)
    assert not hasattr(rating, "followup") or rating.followup is None
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"level": 2}, "reasons"),
        ({"level": 6}, "level"),
        ({"level": 5, "phone": "12345"}, "phone"),
        ({"level": 5, "comment": "x" * 501}, "comment"),
        ({"level": 1, "reasons": ["nonsense"]}, "reasons"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(hall, fields, field):
    with pytest.raises(ValidationError) as error:
        rating_submit(window=hall.a01, **fields)
    assert field in error.value.message_dict
    assert not Rating.objects.exists()


def test_one_rating_per_ticket(hall):
    rating_submit(window=hall.a01, ticket=hall.ticket, level=5)
    with pytest.raises(ValidationError, match="already been rated"):
        rating_submit(window=hall.a01, ticket=hall.ticket, level=1, reasons=["slow"])
    assert Rating.objects.count() == 1 and not Problem.objects.exists()


def test_flood_limits_per_link_and_per_address(hall, settings):
    settings.GEMBAHALL_RATING_LIMIT_PER_WINDOW = 3
    settings.GEMBAHALL_RATING_LIMIT_PER_ADDRESS = 5
    for _ in range(3):
        rating_submit(window=hall.a01, level=5, ip="10.0.0.1")
    with pytest.raises(RatingLimited):
        rating_submit(window=hall.a01, level=5, ip="10.0.0.2")
    # Another window from the same hall address still works, up to its cap.
    for _ in range(2):
        rating_submit(window=hall.a02, level=5, ip="10.0.0.1")
    with pytest.raises(RatingLimited):
        rating_submit(window=hall.a02, level=5, ip="10.0.0.1")


def test_an_excluded_rating_leaves_the_kpis_and_stays_in_the_trail(hall):
    today = timezone.localdate()
    rating_submit(window=hall.a01, ticket=hall.ticket, level=5)
    bad = rating_submit(window=hall.a01, level=1, reasons=["attitude"])
    scope = Scope(hall.center.pk)
    before = rating_kpis(scope, today, today, today)
    assert before["ratings"] == 2 and before["bad_rate"] == 0.5
    with pytest.raises(PermissionDenied):
        rating_exclude(actor=hall.head, rating=bad, reason="我自己的")
    with pytest.raises(ValidationError):
        rating_exclude(actor=hall.inspector, rating=bad, reason=" ")
    rating_exclude(actor=hall.inspector, rating=bad, reason="同一号码恶意刷评")
    after = rating_kpis(scope, today, today, today)
    assert after["ratings"] == 1 and after["bad_rate"] == 0
    assert after["satisfaction"] == 1 and after["participation"] == 1
    bad.refresh_from_db()
    assert bad.excluded_reason == "同一号码恶意刷评" and bad.followup.appeal == "upheld"
    event = Event.objects.get(action="rating.exclude")
    assert event.target_id == str(bad.public_id)
    assert event.after == {"excluded": True, "reason": "同一号码恶意刷评"}
    with pytest.raises(ValidationError, match="already excluded"):
        rating_exclude(actor=hall.inspector, rating=bad, reason="again")


def test_a_masked_phone_shows_only_its_ends(hall):
    rating = rating_submit(window=hall.a01, level=5, phone="13812345678")
    assert rating.phone_masked == "138****5678"


def test_a_bad_rating_tells_the_window_and_those_who_follow_up_for_the_center(hall):
    from gembahall.core.models import Notification
    from tests import factories as f

    director = hall.director
    liaison = f.person(hall.center, hall.a01)
    f.grant(liaison, "liaison", unit=hall.a01)
    rating_submit(window=hall.a01, ticket=hall.ticket, level=1, reasons=["slow"])
    told = set(
        Notification.objects.filter(kind="rating.bad").values_list(
            "person_id", flat=True
        )
    )
    # Once each: the head is both the window's owner and a follower.
    assert Notification.objects.filter(kind="rating.bad").count() == 4
    assert told == {hall.head.pk, liaison.pk, director.pk, hall.inspector.pk}
