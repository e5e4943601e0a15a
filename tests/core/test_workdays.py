"""The working-day calendar: holidays, 调休 and provisional years."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gembahall.core import workdays
from gembahall.core.services import calendar_year_set
from tests import factories as f


@pytest.mark.django_db
def test_three_working_days_before_national_day_land_on_the_adjusted_saturday():
    # 2025: 10-01…10-08 off; Saturday 10-11 is worked in exchange.
    result = workdays.add_working_days(date(2025, 9, 30), 3)
    assert result.date == date(2025, 10, 11)
    assert result.date.weekday() == 5
    assert not result.provisional


@pytest.mark.django_db
def test_the_start_day_does_not_count():
    assert workdays.add_working_days(date(2025, 6, 2), 1).date == date(2025, 6, 3)
    assert workdays.working_days_between(date(2025, 6, 2), date(2025, 6, 6)).days == 4


@pytest.mark.django_db
def test_years_not_announced_count_weekdays_and_are_provisional():
    result = workdays.add_working_days(date(2031, 9, 30), 3)
    assert result.date == date(2031, 10, 3)
    assert result.provisional


@pytest.mark.django_db
def test_a_deadline_is_the_end_of_its_local_day():
    end = workdays.deadline_end(date(2025, 10, 11))
    local = timezone.localtime(end)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert local.utcoffset().total_seconds() == 8 * 3600


@pytest.fixture
def inspector(db):
    c = f.center()
    p = f.person(c, username="insp")
    f.grant(p, "inspector")
    return p


def test_osm_office_enters_a_future_year(inspector):
    calendar_year_set(
        actor=inspector,
        year=2031,
        holidays=[(date(2031, 10, d), "国庆节") for d in range(1, 8)],
        workdays_=[(date(2031, 9, 28), "国庆节")],
    )
    result = workdays.add_working_days(date(2031, 9, 26), 2)
    assert result.date == date(2031, 9, 29)
    assert workdays.is_working_day(date(2031, 9, 28))
    assert not workdays.add_working_days(date(2031, 9, 30), 1).provisional


def test_official_years_cannot_be_edited(inspector):
    with pytest.raises(ValidationError):
        calendar_year_set(actor=inspector, year=2025, holidays=[], workdays_=[])


def test_calendar_form_names_the_bad_line(client, inspector):
    f.signed_in(client, inspector)
    url = reverse("core:calendar_edit", args=[2031])
    response = client.post(
        url, {"holidays": "2031-10-01 国庆节\n2031-13-40 错误", "workdays": ""}
    )
    assert response.status_code == 200
    assert "2031-13-40" in str(response.context["form"].errors["holidays"])


def test_calendar_page_marks_unknown_years(client, inspector):
    f.signed_in(client, inspector)
    page = client.get(reverse("core:calendar"), {"year": 2031})
    assert page.context["known"] is None


def test_deadlines_use_aware_datetimes():
    assert timezone.is_aware(workdays.deadline_end(date(2025, 1, 1)))
    assert isinstance(workdays.deadline_end(date(2025, 1, 1)), datetime)


def test_calendar_page_answers_404_to_a_nonsense_year(client, inspector):
    f.signed_in(client, inspector)
    assert client.get(reverse("core:calendar"), {"year": "abc"}).status_code == 404
