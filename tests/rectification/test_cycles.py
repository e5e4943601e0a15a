"""PDCAA cycles end in a published standard; practices spread and become
standards."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gembahall.core.models import Event
from gembahall.rectification import improvements as cycle
from gembahall.rectification import practices as good
from gembahall.rectification import services
from gembahall.standards import services as standards
from gembahall.standards.models import Standard
from tests.core.test_photos import decoding_watched

from .conftest import photo


@pytest.fixture
def standard(hall):
    s = standards.standard_create(
        actor=hall["inspector"],
        center=hall["center"],
        code="ZM-01",
        body="桌面只放电脑、电话、评价器。",
        title="窗口桌面标准",
        domain="resources",
        chapter="08",
    )
    standards.version_publish(actor=hall["director"], version=s.versions.get())
    s.refresh_from_db()
    return s


def test_a_pdcaa_cycle_ends_in_a_published_version_linked_to_its_problems(
    hall, standard, problem
):
    actor = hall["inspector"]
    impr = cycle.improvement_open(
        actor=actor,
        center=hall["center"],
        title="桌面反复杂乱",
        goal="三个月内桌面问题清零",
        problems=[problem],
        standard=standard,
    )
    with pytest.raises(ValidationError, match="measure"):
        cycle.improvement_advance(actor=actor, improvement=impr, text="计划")
    task = cycle.task_add(
        actor=actor,
        improvement=impr,
        title="桌面贴定位线",
        owner=hall["head"],
        due=timezone.localdate(),
    )
    cycle.improvement_advance(actor=actor, improvement=impr, text="贴定位线并培训")
    with pytest.raises(ValidationError, match="Every measure"):
        cycle.improvement_advance(actor=actor, improvement=impr, text="已执行")
    cycle.task_done(actor=hall["head"], task=task, evidence="已贴", uploads=[photo()])
    cycle.improvement_advance(actor=actor, improvement=impr, text="已执行")
    cycle.improvement_advance(actor=actor, improvement=impr, text="复查合格")
    cycle.improvement_advance(actor=actor, improvement=impr, text="定位线改为蓝色")
    version = cycle.improvement_standardize(
        actor=actor, improvement=impr, body="桌面按蓝色定位线摆放。"
    )
    impr.refresh_from_db()
    assert impr.stage == "standardize" and version.is_draft
    standards.version_publish(actor=hall["director"], version=version)
    impr.refresh_from_db()
    standard.refresh_from_db()
    assert impr.stage == "done" and impr.finished_at
    assert standard.current == version and version.number == 2
    assert list(version.improvement.problems.all()) == [problem]
    assert Event.objects.filter(action="improvement.done").count() == 1


def test_a_cycle_can_write_a_new_standard(hall, problem):
    impr = cycle.improvement_open(
        actor=hall["inspector"],
        center=hall["center"],
        title="叫号屏信息",
        goal="g",
        problems=[problem],
    )
    impr.stage = "standardize"
    impr.save()
    with pytest.raises(ValidationError):
        cycle.improvement_standardize(
            actor=hall["inspector"], improvement=impr, body="b"
        )
    version = cycle.improvement_standardize(
        actor=hall["inspector"],
        improvement=impr,
        body="叫号屏显示窗口号。",
        new_standard={
            "code": "JH-01",
            "title": "叫号屏",
            "chapter": "09",
            "domain": "service",
        },
    )
    assert version.standard.code == "JH-01"


def test_only_the_osm_office_opens_cycles(hall):
    with pytest.raises(PermissionDenied):
        cycle.improvement_open(
            actor=hall["head"], center=hall["center"], title="t", goal="g"
        )


def test_an_item_recurring_three_times_prompts_a_cycle(hall):
    from gembahall.rectification.models import Problem

    key = "0193d0a8-0000-7000-8000-000000000001"
    first = None
    for unit in ("w1", "w2", "w1", "w2"):
        p = Problem.objects.create(
            center=hall["center"],
            unit=hall[unit],
            source="inspection",
            description="表单未按上下限",
            item_key=key,
            repeat_of=first,
        )
        first = first or p
    rows = cycle.recurring_items(hall["center"])
    assert [(str(r["item_key"]), r["repeats"], r["units"]) for r in rows] == [
        (key, 3, 2)
    ]
    cycle.improvement_open(
        actor=hall["inspector"],
        center=hall["center"],
        title="t",
        goal="g",
        item_key=key,
    )
    assert cycle.recurring_items(hall["center"]) == []


def test_a_practice_is_published_adopted_and_promoted_into_the_library(hall):
    practice = good.practice_submit(
        actor=hall["liaison"],
        unit=hall["w1"],
        title="线条标识法",
        description="档案盒书脊画斜线,缺一眼可见。",
        uploads=[photo()],
    )
    with pytest.raises(ValidationError):
        good.practice_adopt(actor=hall["head2"], practice=practice, unit=hall["w2"])
    with pytest.raises(PermissionDenied):
        good.practice_review(actor=hall["head"], practice=practice, publish=True)
    good.practice_review(actor=hall["inspector"], practice=practice, publish=True)
    good.practice_adopt(actor=hall["head2"], practice=practice, unit=hall["w2"])
    with pytest.raises(ValidationError, match="already"):
        good.practice_adopt(actor=hall["head2"], practice=practice, unit=hall["w2"])
    standard = good.practice_promote(
        actor=hall["inspector"],
        practice=practice,
        code="XT-01",
        title="档案盒线条标识",
        chapter="10",
        domain="resources",
    )
    assert Standard.objects.get(code="XT-01") == standard
    version = standard.versions.get()
    assert version.photos.count() == 1
    standards.version_publish(actor=hall["director"], version=version)
    assert Standard.objects.published().filter(code="XT-01").exists()


def test_declining_a_practice_needs_a_reason(hall):
    practice = good.practice_submit(
        actor=hall["head"],
        unit=hall["w1"],
        title="t",
        description="d",
        uploads=[photo()],
    )
    with pytest.raises(ValidationError):
        good.practice_review(actor=hall["inspector"], practice=practice, publish=False)
    good.practice_review(
        actor=hall["inspector"], practice=practice, publish=False, note="已有标准"
    )
    practice.refresh_from_db()
    assert practice.state == "declined"


def test_problem_from_services_fixture_is_open(problem):
    assert services.can_fix(problem.owner, problem)


def test_practice_and_measure_photos_are_decoded_before_the_transaction(hall, problem):
    impr = cycle.improvement_open(
        actor=hall["inspector"],
        center=hall["center"],
        title="桌面反复杂乱",
        goal="桌面问题清零",
        problems=[problem],
    )
    task = cycle.task_add(
        actor=hall["inspector"],
        improvement=impr,
        title="贴定位线",
        owner=hall["head"],
        due=timezone.localdate(),
    )
    cycle.improvement_advance(actor=hall["inspector"], improvement=impr, text="计划")
    with decoding_watched() as depths:
        cycle.task_done(actor=hall["head"], task=task, evidence="", uploads=[photo()])
        good.practice_submit(
            actor=hall["head"],
            unit=hall["w1"],
            title="抽屉分格",
            description="按格摆放",
            uploads=[photo()],
        )
    assert len(depths) == 4 and set(depths) == {0}
