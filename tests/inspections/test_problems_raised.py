"""Deductions raised as problems through the rectification engine, seen from
the inspection pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from gembahall.inspections import services
from gembahall.rectification import services as rectification
from gembahall.rectification.models import Problem
from tests import factories as f
from tests.core.test_photos import image_bytes, upload
from tests.inspections.test_views import finalized, start
from tests.inspections.test_views import hall as hall  # noqa: PLC0414


def test_a_fixed_and_verified_deduction_found_again_is_a_repeat_not_doubled(
    client, hall
):
    day = timezone.localdate()
    earlier = finalized(hall, hall["w1"], deduct=1, on=day - timedelta(days=14))
    first = Problem.objects.get(item_result__inspection=earlier)
    rectification.problem_submit(
        actor=hall["head1"],
        problem=first,
        cause="未归位",
        action="重新摆放",
        uploads=[upload(image_bytes())],
    )
    rectification.problem_verify(actor=hall["inspector"], problem=first)

    again = start(hall, hall["w1"], on=day)
    results = list(again.results.order_by("item__position"))
    services.item_answer(
        actor=hall["inspector"], result=results[0], outcome="deduct", occurrences=1
    )
    services.item_photo_add(
        actor=hall["inspector"], result=results[0], upload=upload(image_bytes())
    )
    for result in results[1:]:
        services.item_answer(actor=hall["inspector"], result=result, outcome="pass")
    f.signed_in(client, hall["inspector"])
    url = reverse("inspections:finalize", args=[again.public_id])
    assert client.post(url).status_code == 302

    second = Problem.objects.get(item_result__inspection=again)
    assert second.repeat_of == first and second.is_repeat
    # Fixed before it came back: a repeat of the problem, not a doubled deduction.
    results[0].refresh_from_db()
    assert results[0].problem == second and not results[0].is_repeat
    page = client.get(second.get_absolute_url()).content.decode()
    assert again.get_absolute_url() in page
    assert f"{again.inspected_on:%Y-%m-%d}" in page


def test_a_cycles_audit_links_a_final_follow_up_inspection_of_its_units(client, hall):
    from gembahall.rectification import improvements as cycle

    earlier = finalized(hall, hall["w1"], deduct=1)
    problem = Problem.objects.get(item_result__inspection=earlier)
    actor = hall["inspector"]
    impr = cycle.improvement_open(
        actor=actor,
        center=hall["center"],
        title="桌面",
        goal="清零",
        problems=[problem],
    )
    task = cycle.task_add(
        actor=actor,
        improvement=impr,
        title="定位线",
        owner=hall["head1"],
        due=timezone.localdate(),
    )
    cycle.improvement_advance(actor=actor, improvement=impr, text="计划")
    cycle.task_done(actor=hall["head1"], task=task, evidence="已贴")
    cycle.improvement_advance(actor=actor, improvement=impr, text="已执行")
    follow_up = finalized(hall, hall["w1"])
    draft = start(hall, hall["w1"])
    f.signed_in(client, actor)
    page = client.get(impr.get_absolute_url()).content.decode()
    assert f"inspection:{follow_up.public_id}" in page
    assert f"inspection:{draft.public_id}" not in page
    url = reverse("rectification:improvement_advance", args=[impr.public_id])
    choice = f"inspection:{follow_up.public_id}"
    assert client.post(url, {"text": "复查合格", "inspection": choice}).status_code in (
        200,
        302,
    )
    impr.refresh_from_db()
    assert (impr.stage, impr.audit_source) == ("improve", "inspection")
    assert impr.audit_ref == follow_up.public_id
    page = client.get(impr.get_absolute_url()).content.decode()
    assert follow_up.get_absolute_url() in page
