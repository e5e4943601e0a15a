"""What an audit event says, for real changes done across centers: who did
it, to what, what it was before and after, and under which center's trail
it is filed — the target's, not the actor's."""

import pytest
from django.utils import timezone

from gembahall.core.models import Event
from gembahall.org import services as org
from gembahall.rectification import services as rectification
from tests import factories as f


@pytest.fixture
def centers(db):
    city = f.center(name="市中心", code="city")
    town = f.center(name="镇便民中心", code="town", parent=city, kind="township")
    return city, town


def only_event(action: str) -> Event:
    (event,) = Event.objects.filter(action=action)
    return event


def test_a_person_edited_by_a_city_administrator_is_filed_at_the_township(centers):
    city, town = centers
    admin = f.person(city, name="市管理员")
    f.grant(admin, "sysadmin")
    clerk = f.person(town, name="张三")
    org.person_update(actor=admin, person=clerk, name="张珊")
    event = only_event("person.update")
    assert event.center_id == town.pk
    assert (event.actor_id, event.actor_name) == (admin.pk, "市管理员")
    assert (event.target_type, event.target_id) == ("org.person", str(clerk.public_id))
    assert event.target_repr == "张珊"
    assert (event.before, event.after) == ({"name": "张三"}, {"name": "张珊"})


def test_a_problem_verified_by_a_city_inspector_records_the_states(centers):
    city, town = centers
    inspector = f.person(city, name="督查员")
    f.grant(inspector, "inspector")
    problem = f.problem(f.unit(town), state="submitted", submitted_at=timezone.now())
    rectification.problem_verify(actor=inspector, problem=problem)
    event = only_event("problem.verify")
    assert event.center_id == town.pk
    assert (event.actor_id, event.actor_name) == (inspector.pk, "督查员")
    assert event.target_type == "rectification.problem"
    assert event.target_id == str(problem.public_id)
    assert (event.before, event.after) == ({"state": "submitted"}, {"state": "closed"})


def test_a_role_granted_records_who_got_which_role_where(centers):
    city, town = centers
    security = f.person(city, name="安全员")
    f.grant(security, "security_admin")
    window = f.unit(town)
    clerk = f.person(town, window, name="李四")
    assignment = org.role_assign(
        actor=security, person=clerk, role="staff", unit=window
    )
    event = only_event("role.assign")
    assert event.center_id == town.pk
    assert (event.actor_id, event.actor_name) == (security.pk, "安全员")
    assert event.target_type == "org.roleassignment"
    assert event.target_id == str(assignment.public_id)
    assert event.before is None
    assert event.after["person"] == clerk.pk
    assert event.after["role"] == "staff"
    assert event.after["unit"] == window.pk
    assert event.after["center"] == town.pk
    assert event.after["granted_by"] == security.pk
    assert event.after["valid_to"] is None
