"""Every record holding center data answers Model.objects.visible_to(person):
a person with the right role in center A sees A's rows and none of center
B's, and a window head sees their own window's rows and not another's."""

import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone

from tests import factories as f

TODAY = date(2026, 1, 5)
_codes = itertools.count(1)


@dataclass(frozen=True)
class Rule:
    """Who should see a row of the model, and how to make one at a window."""

    role: str
    make: object
    unit_scoped: bool = False


def _model(label):
    return apps.get_model(label)


def _make(label, **fields):
    return _model(label).objects.create(**fields)


def _event(w):
    return _make("core.Event", center_id=w.center_id, action="test.made")


def _job(w):
    return _make(
        "core.Job",
        center=w.center,
        kind="export",
        title="导出",
        created_by=f.person(w.center),
    )


def _version(w):
    return f.standard(w.center).current


def _item(w):
    return f.checklist(w.center, n=1, code=f"X{next(_codes)}").items.get()


def _plan(w):
    return f.plan(w.center)


def _result(w):
    inspection = f.inspection(w)
    item = inspection.checklist.items.get()
    return _make(
        "inspections.ItemResult", center=w.center, inspection=inspection, item=item
    )


def _draft(w):
    return f.practice(w)


def _service_item(w):
    return f.service_item(w.center, dept=w.department)


def _agent_request(w):
    return _make(
        "casework.AgentRequest",
        center=w.center,
        applicant="王女士",
        service_item=_service_item(w),
        agent=f.person(w.center, w),
        requested_at=timezone.now(),
    )


def _source(w):
    return f.source(w.center, kind="tickets")


def _token(w):
    from gembahall.casework.tokens import token_create

    return token_create(actor=None, source=_source(w), name="叫号机")[0]


def _ticket_event(w):
    ticket = f.ticket(w)
    return _make(
        "casework.TicketEvent",
        center=w.center,
        source=ticket.source,
        event_id=f"e{ticket.pk}",
        ticket=ticket,
        kind="taken",
        at=timezone.now(),
    )


def _stat(label, **fields):
    return lambda w: _make(label, center=w.center, day=TODAY, **fields)


RULES: dict[str, Rule] = {
    "core.Event": Rule("auditor", _event),
    "core.Job": Rule("director", _job),
    "core.Photo": Rule("director", lambda w: f.photo(w.center, w), unit_scoped=True),
    "org.Department": Rule("director", lambda w: w.department),
    "org.Unit": Rule("director", lambda w: w, unit_scoped=True),
    "org.UnitVersion": Rule("director", lambda w: w.versions.get(), unit_scoped=True),
    "org.Person": Rule("director", lambda w: f.person(w.center, w), unit_scoped=True),
    "org.RoleAssignment": Rule(
        "director",
        lambda w: f.grant(f.person(w.center, w), "staff", unit=w),
        unit_scoped=True,
    ),
    "org.CommitteeMembership": Rule(
        "director",
        lambda w: _make(
            "org.CommitteeMembership", center=w.center, person=f.person(w.center)
        ),
    ),
    "org.Pairing": Rule(
        "director",
        lambda w: _make(
            "org.Pairing", center=w.center, member=f.person(w.center), unit=w
        ),
    ),
    "standards.Standard": Rule("staff", lambda w: f.standard(w.center)),
    "standards.StandardVersion": Rule("staff", _version),
    "standards.ReferencePhoto": Rule(
        "staff",
        lambda w: _make(
            "standards.ReferencePhoto",
            center=w.center,
            version=_version(w),
            photo=f.photo(w.center),
        ),
    ),
    "standards.Acknowledgement": Rule(
        "staff",
        lambda w: _make(
            "standards.Acknowledgement",
            center=w.center,
            version=_version(w),
            person=f.person(w.center, w),
        ),
    ),
    "inspections.Checklist": Rule("staff", lambda w: _item(w).checklist),
    "inspections.ChecklistItem": Rule("staff", _item),
    "inspections.InspectionPlan": Rule("staff", _plan),
    "inspections.Round": Rule(
        "staff",
        lambda w: _make(
            "inspections.Round",
            center=w.center,
            plan=_plan(w),
            title="一轮",
            starts_on=TODAY,
        ),
    ),
    "inspections.Inspection": Rule("director", f.inspection, unit_scoped=True),
    "inspections.ItemResult": Rule("director", _result, unit_scoped=True),
    "rectification.Problem": Rule("director", f.problem, unit_scoped=True),
    "rectification.ProblemStep": Rule(
        "director",
        lambda w: _make(
            "rectification.ProblemStep",
            center=w.center,
            problem=f.problem(w),
            kind="started",
        ),
        unit_scoped=True,
    ),
    "rectification.Improvement": Rule("staff", lambda w: f.improvement(w.center)),
    "rectification.ImprovementTask": Rule(
        "staff",
        lambda w: _make(
            "rectification.ImprovementTask",
            center=w.center,
            improvement=f.improvement(w.center),
            title="措施",
            owner=f.person(w.center),
            due=TODAY,
        ),
    ),
    "rectification.Practice": Rule("director", _draft, unit_scoped=True),
    "rectification.Adoption": Rule(
        "director",
        lambda w: _make(
            "rectification.Adoption",
            center=w.center,
            practice=_draft(w),
            unit=w,
            person=f.person(w.center, w),
        ),
        unit_scoped=True,
    ),
    "casework.ServiceItem": Rule("staff", _service_item),
    "casework.Source": Rule("inspector", _source),
    "casework.ApiToken": Rule("inspector", _token),
    "casework.Ticket": Rule("director", f.ticket, unit_scoped=True),
    "casework.TicketEvent": Rule("director", _ticket_event, unit_scoped=True),
    "casework.Case": Rule("director", f.case, unit_scoped=True),
    "casework.Notice": Rule(
        "director",
        lambda w: _make(
            "casework.Notice",
            center=w.center,
            case=f.case(w),
            issued_at=timezone.now(),
            materials="身份证",
        ),
        unit_scoped=True,
    ),
    "casework.FirstInquiry": Rule(
        "director",
        lambda w: _make(
            "casework.FirstInquiry",
            center=w.center,
            asked_at=timezone.now(),
            question="在哪里办",
            answered_by=f.person(w.center, w),
            ending="answered",
        ),
    ),
    "casework.AgentRequest": Rule("director", _agent_request),
    "casework.AgentStep": Rule(
        "director",
        lambda w: _make(
            "casework.AgentStep",
            center=w.center,
            request=_agent_request(w),
            state="accepted",
            at=timezone.now(),
            by=f.person(w.center, w),
        ),
    ),
    "casework.DayStat": Rule("director", _stat("casework.DayStat", dim="c", key="")),
    "casework.HourStat": Rule("director", _stat("casework.HourStat", hour=9)),
    "casework.CaseStat": Rule("director", _stat("casework.CaseStat", item_key="i")),
    "ratings.Rating": Rule("director", f.rating, unit_scoped=True),
    "ratings.FollowUp": Rule(
        "director",
        lambda w: _make(
            "ratings.FollowUp", center=w.center, rating=f.rating(w), callback_due=TODAY
        ),
        unit_scoped=True,
    ),
    "ratings.Appeal": Rule(
        "director",
        lambda w: _make(
            "ratings.Appeal",
            center=w.center,
            rating=f.rating(w),
            filed_by=f.person(w.center, w),
            reason="不实评价",
        ),
        unit_scoped=True,
    ),
    "ratings.RatingStat": Rule(
        "director",
        lambda w: _make(
            "ratings.RatingStat",
            center=w.center,
            day=TODAY,
            window_id=w.pk,
            staff_key="",
            n=1,
            l5=1,
        ),
        unit_scoped=True,
    ),
}


def center_models() -> list:
    """Every model of the product holding a center's data."""
    return sorted(
        (
            m
            for m in apps.get_models()
            if m.__module__.startswith("gembahall.")
            and {"center", "center_id"} & {fl.name for fl in m._meta.get_fields()}
        ),
        key=lambda m: m._meta.label,
    )


def test_every_model_holding_center_data_answers_visible_to():
    missing = [
        m._meta.label
        for m in center_models()
        if not callable(getattr(m._default_manager, "visible_to", None))
    ]
    assert missing == []


def test_every_model_holding_center_data_has_a_visibility_rule():
    labels = {m._meta.label for m in center_models()}
    assert labels - RULES.keys() == set(), "add a rule for each new model"
    assert RULES.keys() - labels == set()


@pytest.fixture
def hall(db):
    """Center A with windows A01 and A02; a second center B with one window."""
    a, b = f.center("甲中心"), f.center("乙中心")
    return {
        "a01": f.unit(a, code="A01"),
        "a02": f.unit(a, code="A02"),
        "b01": f.unit(b, code="B01"),
    }


def _visible_pks(model, person) -> set:
    return set(model.objects.visible_to(person).values_list("pk", flat=True))


def _holder(window, role):
    """A person of the window's center holding the role: a center-wide role,
    or for window roles the role at that window."""
    who = f.person(window.center, window)
    window_roles = {"staff", "window_head", "liaison", "guide"}
    f.grant(who, role, unit=window if role in window_roles else None)
    return who


LABELS = sorted(RULES)


@pytest.mark.parametrize("label", LABELS)
def test_right_role_sees_its_centers_rows_and_not_another_centers(hall, label):
    rule, model = RULES[label], _model(label)
    mine, theirs = rule.make(hall["a01"]), rule.make(hall["b01"])
    seen = _visible_pks(model, _holder(hall["a01"], rule.role))
    assert mine.pk in seen
    assert theirs.pk not in seen
    # Their own center's reader sees them, so the row is a real one.
    assert theirs.pk in _visible_pks(model, _holder(hall["b01"], rule.role))


UNIT_SCOPED = [label for label in LABELS if RULES[label].unit_scoped]


@pytest.mark.parametrize("label", UNIT_SCOPED)
def test_window_head_sees_own_windows_rows_and_not_another_windows(hall, label):
    rule, model = RULES[label], _model(label)
    mine, other = rule.make(hall["a01"]), rule.make(hall["a02"])
    seen = _visible_pks(model, _holder(hall["a01"], "window_head"))
    assert mine.pk in seen
    assert other.pk not in seen
    assert other.pk in _visible_pks(model, _holder(hall["a02"], "window_head"))


def test_nobody_sees_anything_without_a_role(hall):
    nobody = f.person(hall["a01"].center, hall["a01"])
    for label in LABELS:
        row = RULES[label].make(hall["a01"])
        assert row.pk not in _visible_pks(_model(label), nobody), label
