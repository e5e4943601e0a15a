"""Every page renders in zh-hans with no untranslated English interface text,
and holds its layout at 390 px."""

import re

import pytest
from django.urls import reverse

from gembahall.core.models import Job
from gembahall.demo import DEMO_PASSWORD
from gembahall.inspections.models import Checklist, Inspection, InspectionPlan, Round
from gembahall.org.models import Department, Person, RoleAssignment, Unit
from gembahall.standards import services
from gembahall.standards.models import Standard
from tests.browser.conftest import shot, sign_in
from tests.routes_matrix import PRIVATE

pytestmark = pytest.mark.browser

# Words that are the same in Chinese interfaces: product and format names.
ALLOWED = {
    # The robust line's inventors, named as statistics texts name them.
    "Theil",
    "Sen",
    # The interval's method as statistics texts write it (delta 方法).
    "delta",
    # A session's browser and system as the browser names them.
    "Chrome",
    "Linux",
    # The checksum's name (SHA-256) in a photo check's trail.
    "SHA",
    "OSM",
    "PDCAA",
    "Excel",
    "xlsx",
    "English",
    "IP",
    "MB",
    "ECharts",
    "5S",
    "PDF",
    "CSV",
    "GBK",
    "UTF",
    "HTTP",
    "Pearson",
    "bootstrap",
}
WORD = re.compile(r"[A-Za-z]{3,}")
VISIBLE_TEXT = """() => {
  const clone = document.body.cloneNode(true);
  const hidden = '[translate=no], code, script, style, [lang=en]';
  clone.querySelectorAll(hidden).forEach(e => e.remove());
  return clone.innerText;
}"""

# Who opens each page, so that it renders with real content.
PERSONA = {
    "casework:catalogue_import": "inspector",
    "casework:item_edit": "inspector",
    "inspections:checklist_copy": "inspector",
    "inspections:checklist_create": "inspector",
    "inspections:checklist_import": "inspector",
    "inspections:checklist_settings": "inspector",
    "inspections:plan_edit": "inspector",
    "setup:first_run": "inspector",
    "org:unit_create": "sysadmin",
    "org:unit_edit": "sysadmin",
    "org:unit_end": "sysadmin",
    "org:person_create": "sysadmin",
    "org:person_edit": "sysadmin",
    "org:account_create": "sysadmin",
    "org:import": "sysadmin",
    "org:import_job": "sysadmin",
    "org:role_assign": "secadmin",
    "core:calendar_edit": "inspector",
    "core:job_detail": "sysadmin",
    "standards:create": "inspector",
    "standards:edit": "inspector",
    "standards:version_edit": "inspector",
    "inspections:inspection": "inspector",
    "inspections:plan_create": "inspector",
    "inspections:start": "inspector",
    "inspections:checklist_item_add": "inspector",
    "inspections:checklist_item_edit": "inspector",
    "rectification:improvement_create": "inspector",
    "rectification:improvement_standardize": "inspector",
    "rectification:practice_create": "liaison",
    "rectification:practice_promote": "inspector",
    "rectification:report": "clerk",
    "casework:agent_requests": "clerk",
    "casework:agent_request": "clerk",
    "rectification:problem": "inspector",
    "casework:import": "inspector",
    "casework:import_job": "inspector",
    "casework:tokens": "inspector",
    "casework:inquiries": "clerk",
}
# Downloads, images and POST-only actions: no page to look at.
SKIP = {
    # The code after the password has its own browser test; the rest are actions.
    "accounts:otp_verify",
    "accounts:otp_codes_new",
    "accounts:otp_reset",
    # Actions: ending a session, revealing a number (walked by their own tests).
    "accounts:session_end",
    "org:person_phone",
    "casework:agent_request_phone",
    # Their own browser tests walk them at 390 and 1280 px, or they are
    # actions and files, not pages.
    "casework:catalogue_job",
    "casework:catalogue_confirm",
    "casework:catalogue_sample",
    "inspections:checklist_export",
    "inspections:checklist_order",
    "inspections:checklist_retire",
    "ratings:appeal",
    "ratings:appeal_decide",
    "ratings:card",
    "ratings:reveal",
    "ratings:visit",
    "setup:load",
    "setup:publish",
    "casework:agent_request_step",
    "org:import_sample",
    "core:photo",
    "core:photo_thumbnail",
    "org:role_end",
    "org:import_confirm",
    "core:center_switch",
    "org:committee_join",
    "org:committee_leave",
    "org:pairing_add",
    "org:pairing_end",
    "standards:card",
    "standards:manual",
    "standards:draft_start",
    "standards:photo_add",
    "standards:photo_remove",
    "standards:publish",
    "standards:acknowledge",
    "inspections:bulletin",
    "inspections:unit_results",
    "inspections:answer",
    "inspections:photo_add",
    "inspections:photo_remove",
    "inspections:pass_remaining",
    "inspections:finalize",
    "inspections:witness_set",
    "inspections:witness_confirm",
    "inspections:checklist_draft",
    "inspections:checklist_publish",
    "inspections:checklist_item_remove",
    "core:notification_open",
    "core:audit_export",
    "core:notifications_read",
    "rectification:dashboard_export",
    "rectification:problem_start",
    "rectification:problem_submit",
    "rectification:problem_return",
    "rectification:problem_verify",
    "rectification:problem_deadline",
    "rectification:task_add",
    "rectification:task_done",
    "rectification:improvement_advance",
    "rectification:practice_review",
    "rectification:practice_adopt",
    "casework:item_notice",
    "casework:import_confirm",
    "casework:token_revoke",
    "ratings:cards",
    "ratings:callback",
    "ratings:exclude",
    "ratings:appeal_reject",
}


def objects(center):
    window = Unit.objects.filter(center=center, code="A01").get()
    no_account = Person.objects.filter(center=center, user__isnull=True).first()
    admin = Person.objects.get(user__username="sysadmin")
    job = Job.objects.create(
        center=center,
        kind="roster_import",
        title="花名册预检",
        created_by=admin,
        state="done",
        params={"dry_run": True},
        result={"rows": 3, "errors": []},
    )
    standard = Standard.objects.get(center=center, code="S-6-01")
    draft = services.version_draft(
        actor=Person.objects.get(user__username="inspector"), standard=standard
    )
    inspection = Inspection.objects.filter(
        center=center, unit=window, state="draft"
    ).first()
    return {
        "standard": standard.public_id,
        "version": draft.public_id,
        "checklist": Checklist.objects.filter(center=center).first().public_id,
        "item": Checklist.objects.filter(center=center).first().items.first().public_id,
        "plan": InspectionPlan.objects.filter(center=center).first().public_id,
        "round": Round.objects.filter(center=center).first().public_id,
        "inspection": inspection.public_id,
        "kind": "official",
        "center": center.public_id,
        "unit": window.public_id,
        "department": Department.objects.filter(center=center).first().public_id,
        "person": no_account.public_id,
        "assignment": RoleAssignment.objects.filter(unit=window).first().public_id,
        "job": job.public_id,
        "year": 2031,
        **rectification_objects(center, window),
        **service_objects(center, admin),
    }


def service_objects(center, admin):
    from gembahall.casework.models import AgentRequest, Case, ServiceItem
    from gembahall.ratings.models import Rating

    job = Job.objects.create(
        center=center,
        kind="records_import",
        title="排队取号预检：三月导出.xlsx",
        created_by=admin,
        state="done",
        params={"dry_run": True, "kind": "tickets"},
        result={
            "rows": 3,
            "errors": [],
            "error_count": 0,
            "created": 3,
            "updated": 0,
            "unchanged": 0,
            "encoding": "gb18030",
        },
    )
    return {
        "records_job": job.public_id,
        "service_item": ServiceItem.objects.filter(center=center).first().public_id,
        "rating": Rating.objects.filter(center=center, level=1).first().public_id,
        "case": Case.objects.filter(center=center, notices__gte=2)
        .latest("accepted_at")
        .public_id,
        "agent_request": AgentRequest.objects.filter(center=center, state="submitted")
        .first()
        .public_id,
    }


def rectification_objects(center, window):
    from gembahall.rectification.models import Improvement, Practice, Problem

    improvement = Improvement.objects.filter(center=center, stage="done").first()
    return {
        "problem": Problem.objects.filter(unit=window, state="submitted")
        .first()
        .public_id,
        "improvement": improvement.public_id,
        "task": improvement.tasks.first().public_id,
        "practice": Practice.objects.filter(center=center, state="published")
        .first()
        .public_id,
    }


def english_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text) if w not in ALLOWED}


def test_every_page_is_chinese_and_fits_a_phone(demo, page_at):
    kwargs_for = objects(demo)
    pages = {}
    for name, pattern in PRIVATE:
        if name in SKIP or name.startswith("api:"):
            continue
        kwargs = {k: kwargs_for[k] for k in pattern.pattern.converters}
        pages.setdefault(PERSONA.get(name, "director"), []).append(
            (name, reverse(name, kwargs=kwargs))
        )
    failures = {}
    for persona, urls in pages.items():
        page = page_at(width=390, height=844)
        sign_in(page, persona, DEMO_PASSWORD)
        for name, url in urls:
            response = page.goto(url)
            assert response.status == 200, (name, url, response.status)
            words = english_words(page.evaluate(VISIBLE_TEXT))
            if words:
                failures[name] = sorted(words)
            assert page.evaluate(
                "document.documentElement.scrollWidth <= innerWidth + 1"
            ), name
            shot(page, "page-" + name.replace(":", "-") + "-390")
    assert failures == {}, str(failures)
