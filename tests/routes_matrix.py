"""The route matrix the deny tests walk: every route, the two centers' world
of people and objects, the URL of a route for that world, and the insider
matrix (who of center A opens each object route, and what they see there)."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from gembahall.accounts.models import SignedInSession
from gembahall.core.models import Job, Photo
from gembahall.org.models import CommitteeMembership, Pairing, Person
from tests import factories as f

PUBLIC = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "openapi-json",
    "api-root",
    # Citizens rate a service from a QR code, without an account.
    "rate_window",
    "rate_ticket",
    # Queue systems authenticate with their API key, not a session.
    "service_ticket_event",
    "service_rating",
}


def walk(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", p


ROUTES = sorted(walk(), key=lambda item: item[0])
PRIVATE = [(name, p) for name, p in ROUTES if name.split(":")[-1] not in PUBLIC]


@pytest.fixture
def world(db):
    """Center A with two windows; a sibling center B with its own inspector."""
    a = f.center("甲中心")
    b = f.center("乙中心")
    w1, w2 = f.unit(a), f.unit(a)
    victim = f.person(a, w1, username="victim")
    role = f.grant(victim, "staff", unit=w1)
    admin = f.person(a, username="sys")
    f.grant(admin, "sysadmin")
    photo = Photo.objects.create(
        center=a,
        unit=w1,
        uploaded_by=admin,
        image="x.jpg",
        thumbnail="x.jpg",
        sha256="0" * 64,
        width=1,
        height=1,
        size=1,
    )
    seat = CommitteeMembership.objects.create(center=a, person=admin)
    pairing = Pairing.objects.create(center=a, member=admin, unit=w1)
    job = Job.objects.create(
        center=a, kind="roster_import", title="名册导入", created_by=admin
    )
    staff_other = f.person(a, w2, username="other-staff")
    f.grant(staff_other, "staff", unit=w2)
    inspector_b = f.person(b, username="inspector-b")
    f.grant(inspector_b, "inspector")
    nobody = f.person(a, username="nobody")
    objects = {**inspection_objects(a, w1, admin, photo)}
    objects |= rectification_objects(a, w1, victim)
    objects |= service_objects(w1)
    objects |= {
        "center": a.public_id,
        "unit": w1.public_id,
        "department": w1.department.public_id,
        "person": victim.public_id,
        "assignment": role.public_id,
        "job": job.public_id,
        "seat": seat.public_id,
        "photo": photo.public_id,
        "pairing": pairing.public_id,
        "session": _session_of(victim),
        "year": 2099,
    }
    return {
        "objects": objects,
        "staff": staff_other,
        "inspector": inspector_b,
        "none": nobody,
    }


def _session_of(person):
    """A session the person signed in elsewhere."""
    Client().force_login(person.user)
    return SignedInSession.objects.get(user=person.user).public_id


def inspection_objects(a, w1, author, photo) -> dict:
    """A standard with a version and photo, a checklist, plan, round and an
    inspection of window 1 in center A."""
    from gembahall.inspections.models import Inspection, ItemResult, Round
    from gembahall.standards.models import ReferencePhoto, Standard, StandardVersion

    standard = Standard.objects.create(
        center=a, code="S-1", title="桌面标准", domain="resources", chapter="06"
    )
    version = StandardVersion.objects.create(
        center=a, standard=standard, number=1, body="桌面", state="published"
    )
    standard.current = version
    standard.save()
    ref = ReferencePhoto.objects.create(center=a, version=version, photo=photo)
    checklist = f.checklist(a, n=1)
    plan = f.plan(a)
    rnd = Round.objects.create(
        center=a, plan=plan, title="一轮", starts_on="2026-01-05"
    )
    inspection = Inspection.objects.create(
        center=a,
        checklist=checklist,
        unit=w1,
        unit_label=str(w1),
        round=rnd,
        inspected_on="2026-01-05",
    )
    result = ItemResult.objects.create(
        center=a, inspection=inspection, item=checklist.items.get()
    )
    result.photos.add(photo)
    return {
        "standard": standard.public_id,
        "version": version.public_id,
        "ref": ref.public_id,
        "checklist": checklist.public_id,
        "item": checklist.items.get().public_id,
        "plan": plan.public_id,
        "round": rnd.public_id,
        "inspection": inspection.public_id,
        "result": result.public_id,
        "kind": "official",
        "checklist_id": checklist.public_id,
        "inspection_id": inspection.public_id,
        "result_id": result.public_id,
        "size": "a4",
        "domain": "resources",
    }


def rectification_objects(a, w1, victim) -> dict:
    """A problem of window 1, an improvement cycle with a measure, a practice
    waiting for review and a notification of the victim's."""
    from gembahall.core.models import Notification
    from gembahall.rectification.models import (
        Improvement,
        ImprovementTask,
        Practice,
        Problem,
    )

    problem = Problem.objects.create(
        center=a, unit=w1, source="spot", description="桌面杂乱", owner=victim
    )
    improvement = Improvement.objects.create(
        center=a, title="改进", goal="目标", owner=victim
    )
    task = ImprovementTask.objects.create(
        center=a,
        improvement=improvement,
        title="措施",
        owner=victim,
        due="2026-01-05",
    )
    practice = Practice.objects.create(
        center=a, unit=w1, title="做法", description="d", submitted_by=victim
    )
    note = Notification.objects.create(person=victim, kind="k", title="t", url="/")
    return {
        "problem": problem.public_id,
        "improvement": improvement.public_id,
        "task": task.public_id,
        "practice": practice.public_id,
        "notification": note.public_id,
        "problem_id": problem.public_id,
    }


def service_objects(w1) -> dict:
    """A citizen's rating of window 1, a service item of center A and an
    API key of its queue system."""
    from gembahall.casework.models import AgentRequest, Case, ServiceItem, Source
    from gembahall.casework.tokens import token_create
    from gembahall.ratings.services import rating_submit

    rating = rating_submit(window=w1, level=1, reasons=["slow"])
    item = ServiceItem.objects.create(
        center=w1.center, department=w1.department, name="登记", handling="immediate"
    )
    source = Source.objects.create(center=w1.center, kind="tickets", name="叫号")
    token, _key = token_create(actor=None, source=source, name="叫号机")
    today = timezone.localdate()
    case = Case.objects.create(
        center=w1.center,
        window=w1,
        department=w1.department,
        case_no="C1",
        item_name="登记",
        accepted_at=timezone.now(),
        accepted_on=today,
        deadline=today,
        source=Source.objects.create(center=w1.center, kind="cases", name="办件"),
    )
    job = Job.objects.create(
        center=w1.center,
        kind="records_import",
        title="记录导入",
        created_by=Person.objects.filter(center=w1.center).first(),
    )
    agent_request = AgentRequest.objects.create(
        center=w1.center,
        applicant="王女士",
        phone="13800001111",
        service_item=item,
        agent=Person.objects.filter(center=w1.center).first(),
        requested_at=timezone.now(),
    )
    catalogue_job = Job.objects.create(
        center=w1.center,
        kind="catalogue_import",
        title="目录导入",
        created_by=Person.objects.filter(center=w1.center).first(),
    )
    return {
        "records_job": job.public_id,
        "catalogue_job": catalogue_job.public_id,
        "case": case.public_id,
        "agent_request": agent_request.public_id,
        "rating": rating.public_id,
        "service_item": item.public_id,
        "token": token.public_id,
    }


def assert_refused(client, url):
    """GET, POST and PATCH are refused; a method the route does not take
    answers 405, but at least one of them reaches the permission check."""
    codes = {
        client.get(url).status_code,
        client.post(url).status_code,
        client.patch(url, "{}", content_type="application/json").status_code,
    }
    assert codes <= {403, 404, 405}, (url, codes)
    assert codes - {405}, (url, codes)


def url_for(name, pattern, objects):
    kwargs = {k: objects[k] for k in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


# The working-day calendar is national, so a year is nobody's object.
TENANT_KWARGS = {
    "center",
    "unit",
    "department",
    "person",
    "assignment",
    "job",
    "seat",
    "pairing",
    "photo",
    "standard",
    "version",
    "ref",
    "checklist",
    "plan",
    "round",
    "inspection",
    "result",
    "item",
    "checklist_id",
    "inspection_id",
    "result_id",
    "problem",
    "improvement",
    "task",
    "practice",
    "notification",
    "problem_id",
    "rating",
    "service_item",
    "token",
    "records_job",
    "catalogue_job",
    "case",
    "agent_request",
    # A person's own signed-in sessions.
    "session",
}
# Standards, checklists and improvement cycles are read by everyone working in
# their center.
CENTER_WIDE = {
    "standard",
    "version",
    "checklist",
    "checklist_id",
    "improvement",
    "task",
    "service_item",
    # The agent desk serves the whole hall.
    "agent_request",
}
OBJECT_ROUTES = [
    (n, p) for n, p in PRIVATE if TENANT_KWARGS & set(p.pattern.converters)
]


# A staff member of another window in the same center; an inspector of a
# sibling center. Center-wide records are only outside the second one's scope.
OUTSIDERS = [
    (persona, n, p)
    for n, p in OBJECT_ROUTES
    for persona in ("staff", "inspector")
    if persona == "inspector"
    or not TENANT_KWARGS & set(p.pattern.converters) <= CENTER_WIDE
]


# The insider matrix: beside every refusal above, the right person of center
# A opens the same route and finds the record, so a visible_to that answers
# nothing fails here. Pages: route → (persona, text of the record on it).
PAGES = {
    "api:checklist_detail": ("director-a", "检查表WIN"),
    "api:inspection_detail": ("director-a", "检查项1"),
    "api:problem_detail": ("director-a", "桌面杂乱"),
    "casework:agent_request": ("director-a", "王女士"),
    "casework:case": ("director-a", "C1"),
    "casework:import_job": ("inspector-a", "记录导入"),
    "casework:catalogue_job": ("inspector-a", "目录导入"),
    "casework:item": ("director-a", "登记"),
    "casework:item_edit": ("inspector-a", "登记"),
    "core:job_detail": ("sys", "名册导入"),
    "inspections:checklist": ("director-a", "检查表WIN"),
    "inspections:checklist_import": ("inspector-a", "检查表WIN"),
    "inspections:checklist_item_edit": ("inspector-a", "检查项1"),
    "inspections:checklist_settings": ("inspector-a", "检查表WIN"),
    "inspections:inspection": ("director-a", "检查项1"),
    "inspections:plan": ("inspector-a", "月度考核"),
    "inspections:plan_edit": ("inspector-a", "月度考核"),
    "inspections:round": ("inspector-a", "一轮"),
    "inspections:unit_results": ("director-a", "桌面杂乱"),
    "org:account_create": ("sys", "victim-name"),
    "org:center_tree": ("director-a", "甲中心"),
    "org:department_windows": ("director-a", "window-1"),
    "org:import_job": ("sys", "名册导入"),
    "org:person_detail": ("director-a", "victim-name"),
    "org:person_edit": ("sys", "victim-name"),
    "org:role_assign": ("security-a", "victim-name"),
    "org:unit_detail": ("director-a", "window-1"),
    "org:unit_edit": ("sys", "window-1"),
    "org:unit_end": ("sys", "window-1"),
    "ratings:detail": ("director-a", "window-1"),
    "rectification:improvement": ("director-a", "改进"),
    "rectification:practice": ("director-a", "做法"),
    "rectification:practice_promote": ("inspector-a", "做法"),
    "rectification:problem": ("director-a", "桌面杂乱"),
    "standards:detail": ("director-a", "桌面标准"),
    "standards:edit": ("inspector-a", "桌面标准"),
    "standards:progress": ("director-a", "桌面标准"),
}
# Files: the right person gets the file.
FILES = {
    "casework:item_notice": ("director-a", "application/pdf"),
    "inspections:checklist_export": (
        "inspector-a",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "core:photo": ("director-a", "image/jpeg"),
    "core:photo_thumbnail": ("director-a", "image/jpeg"),
    "standards:card": ("director-a", "application/pdf"),
}
# Actions: the right person's empty POST reaches the record (a form error, a
# redirect or a done action), never 403 or 404.
ACTIONS = {
    "accounts:session_end": "victim",
    "accounts:otp_reset": "security-a",
    "casework:agent_request_phone": "head-w1",
    "casework:agent_request_step": "head-w1",
    "casework:catalogue_confirm": "inspector-a",
    "casework:import_confirm": "inspector-a",
    "casework:token_revoke": "inspector-a",
    "core:notification_open": "victim",
    "inspections:answer": "director-a",
    "inspections:checklist_draft": "inspector-a",
    "inspections:checklist_item_add": "inspector-a",
    "inspections:checklist_item_remove": "inspector-a",
    "inspections:checklist_order": "inspector-a",
    "inspections:checklist_publish": "inspector-a",
    "inspections:checklist_retire": "inspector-a",
    "inspections:finalize": "inspector-a",
    "inspections:pass_remaining": "inspector-a",
    "inspections:photo_add": "director-a",
    "inspections:photo_remove": "inspector-a",
    "inspections:witness_set": "director-a",
    "org:committee_leave": "director-a",
    "org:import_confirm": "sys",
    "org:pairing_add": "director-a",
    "org:person_phone": "director-a",
    "org:pairing_end": "director-a",
    "org:role_end": "security-a",
    "ratings:appeal": "head-w1",
    "ratings:appeal_reject": "director-a",
    "ratings:visit": "head-w1",
    "ratings:callback": "head-w1",
    "ratings:exclude": "director-a",
    "rectification:improvement_advance": "inspector-a",
    "rectification:improvement_standardize": "inspector-a",
    "rectification:practice_adopt": "head-w1",
    "rectification:practice_review": "inspector-a",
    "rectification:problem_deadline": "inspector-a",
    "rectification:problem_return": "inspector-a",
    "rectification:problem_start": "head-w1",
    "rectification:problem_verify": "inspector-a",
    "rectification:task_add": "inspector-a",
    "rectification:task_done": "director-a",
    "standards:acknowledge": "victim",
    "standards:draft_start": "inspector-a",
    "standards:photo_add": "inspector-a",
    "standards:photo_remove": "inspector-a",
    "standards:publish": "director-a",
    "standards:version_edit": "director-a",
}
# Routes the matrix cannot open with an empty request: the API's writes check
# their body (422) before they look the record up, confirming a witness needs
# the witness, submitting a fix needs its form (400 before the lookup), and
# deciding an appeal needs an appeal the window has filed, and revealing a
# number needs a citizen who left one.
NOT_OPENED = {
    "api:inspection_finalize",
    "api:problem_fix",
    "api:problem_return",
    "api:problem_verify",
    "api:result_photo",
    "api:result_update",
    "inspections:witness_confirm",
    "ratings:appeal_decide",
    "ratings:reveal",
    "rectification:problem_submit",
}


@pytest.fixture
def insiders(world, settings):
    """People of center A: a director, an inspector, a security administrator
    and the head of window 1 (the world's sysadmin and staff member exist)."""
    from gembahall.org.models import Center, Unit

    a = Center.objects.get(public_id=world["objects"]["center"])
    w1 = Unit.objects.get(public_id=world["objects"]["unit"])
    for username, role, unit in (
        ("director-a", "director", None),
        ("inspector-a", "inspector", None),
        ("security-a", "security_admin", None),
        ("head-w1", "window_head", w1),
    ):
        f.grant(f.person(a, unit, username=username), role, unit=unit)
    photo = settings.MEDIA_ROOT / "x.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1, 1)).save(photo, "JPEG")
    return {
        "window-1": w1.code,
        "victim-name": Person.objects.get(user__username="victim").name,
    }


def _page_text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        import json

        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _login(client, username):
    from gembahall.accounts.models import User

    f.account_signed_in(client, User.objects.get(username=username))
