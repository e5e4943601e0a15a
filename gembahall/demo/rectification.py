"""The demo center's rectification: two finished PDCAA cycles whose new
standard versions are published, one cycle under way, spot findings, good
practices published and adopted, and the reminders of the day sent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gembahall.org.models import Person, RoleAssignment, Unit
from gembahall.org.queries import unit_owner
from gembahall.rectification import improvements as cycle
from gembahall.rectification import practices as good
from gembahall.rectification.intake import deadline_for
from gembahall.rectification.models import Adoption, Practice, Problem
from gembahall.rectification.reminders import remind
from gembahall.standards.models import Standard
from gembahall.standards.services import version_publish

CYCLES = [
    {
        "code": "S-6-01",
        "title": "窗口桌面反复杂乱",
        "goal": "三个月内“桌面物品超出定位”问题下降一半",
        "measures": ["桌面贴定位线并拍标准照", "每日下班前五分钟桌面自查"],
        "plan": "以桌面定位线和标准照为准,窗口联络员每日检查。",
        "do": "各窗口已贴定位线,联络员每日拍照上传。",
        "audit": "周检复查:桌面问题由每周 14 起降至 5 起。",
        "improve": "定位线改为蓝色,评价器固定在右前方,便于群众操作。",
        "addition": "桌面定位线统一为蓝色;评价器固定于桌面右前方,正对群众。",
    },
    {
        "code": "S-8-01",
        "title": "表单断档与堆积",
        "goal": "表单不断档、不过量",
        "measures": ["表单架画上下限刻度线", "低于下限当日申领"],
        "plan": "为每种表单确定日用量,按 2 天与 5 天用量画上下限。",
        "do": "32 个窗口的表单架均已画线,申领单与刻度线挂钩。",
        "audit": "月度考核:表单缺货问题由 9 起降至 1 起。",
        "improve": "刻度线旁加贴表单名称与申领电话。",
        "addition": "刻度线旁加贴表单名称与申领电话;低于下限当日申领。",
    },
]

PRACTICES = [
    (
        "A01",
        "档案盒书脊斜线标识",
        "在一排档案盒书脊上画一条斜线,少一盒、放错位一眼可见。",
        "S-10-01",
    ),
    (
        "A02",
        "表单“数字标尺”",
        "表单架侧面贴刻度尺,上下限用红绿色标出,低于绿线即申领。",
        "S-8-01",
    ),
    ("A03", "线缆标签双面贴", "每根线缆两端贴同号标签,检修时不用拔线找头。", "S-9-01"),
]


def _person(username: str) -> Person:
    return Person.objects.get(user__username=username)


@transaction.atomic
def build_rectification(center) -> None:
    director, inspector = _person("director"), _person("inspector")
    head = _person("windowhead")
    today = timezone.localdate()
    for spec in CYCLES:
        finished_cycle(center, spec, inspector, director, head, today)
    ongoing = cycle.improvement_open(
        actor=inspector,
        center=center,
        title="叫号后群众找不到窗口",
        goal="叫号后 1 分钟内到达窗口的比例达到 95%",
        standard=Standard.objects.get(center=center, code="S-6-04"),
    )
    cycle.task_add(
        actor=inspector,
        improvement=ongoing,
        title="窗口号牌改为双面灯箱",
        owner=head,
        due=today + timedelta(days=10),
    )
    cycle.improvement_advance(
        actor=inspector, improvement=ongoing, text="先在 A 区试点,两周后复查。"
    )
    practices(center, inspector)
    spot_findings(center, _person("clerk"), today)
    remind()


def finished_cycle(center, spec, inspector, director, owner, today) -> None:
    standard = Standard.objects.get(center=center, code=spec["code"])
    # The repeats that led to the cycle, two to four months ago.
    problems = list(
        Problem.objects.filter(
            center=center,
            standard=standard,
            repeat_of__isnull=False,
            raised_on__range=(today - timedelta(days=120), today - timedelta(days=60)),
        ).order_by("-created_at")[:8]
    )
    improvement = cycle.improvement_open(
        actor=inspector,
        center=center,
        title=spec["title"],
        goal=spec["goal"],
        problems=problems,
        standard=standard,
        item_key=problems[0].item_key if problems else None,
    )
    tasks = [
        cycle.task_add(
            actor=inspector,
            improvement=improvement,
            title=title,
            owner=owner,
            due=today - timedelta(days=40),
        )
        for title in spec["measures"]
    ]
    cycle.improvement_advance(
        actor=inspector, improvement=improvement, text=spec["plan"]
    )
    for task in tasks:
        cycle.task_done(actor=inspector, task=task, evidence="已完成,见现场照片。")
    for step in ("do", "audit", "improve"):
        cycle.improvement_advance(
            actor=inspector, improvement=improvement, text=spec[step]
        )
    version = cycle.improvement_standardize(
        actor=inspector,
        improvement=improvement,
        body=f"{standard.current.body}\n{spec['addition']}",
    )
    version_publish(actor=director, version=version)


def practices(center, inspector) -> None:
    """Each practice submitted by its own window's liaison, and each adoption
    recorded by the adopting window's."""
    windows = {u.code: u for u in Unit.objects.active().filter(center=center)}
    others = [w for code, w in sorted(windows.items()) if windows[code].is_window]
    liaisons = {
        a.unit_id: a.person
        for a in RoleAssignment.objects.active()
        .filter(center=center, role="liaison")
        .select_related("person")
    }

    def liaison_of(unit):
        return liaisons.get(unit.pk) or unit_owner(unit)

    for i, (code, title, text, standard_code) in enumerate(PRACTICES):
        unit = windows.get(code)
        if unit is None:
            continue
        standard = Standard.objects.get(center=center, code=standard_code)
        practice = Practice.objects.create(
            center=center,
            unit=unit,
            title=title,
            description=text,
            submitted_by=liaison_of(unit),
        )
        practice.photos.set(ref.photo for ref in standard.current.photos.all()[:1])
        if i == len(PRACTICES) - 1:
            continue  # the last one waits for the OSM office's review
        good.practice_review(actor=inspector, practice=practice, publish=True)
        for window in others[3 + i * 4 : 7 + i * 4]:
            if window.pk != unit.pk:
                Adoption.objects.create(
                    center=center,
                    practice=practice,
                    unit=window,
                    person=liaison_of(window),
                    note="已在本窗口推广",
                )


SPOT = [
    ("B02", "serious", "安全通道堆放纸箱,影响疏散", "B 区东侧安全出口", 1),
    ("A01", "general", "自助填单台笔缺失、台面有废纸", "A 区填单台", 0),
]


def spot_findings(center, reporter, today) -> None:
    units = {u.code: u for u in Unit.objects.active().filter(center=center)}
    for code, severity, text, where, days_ago in SPOT:
        unit = units.get(code)
        if unit is None:
            continue
        raised = today - timedelta(days=days_ago)
        due = deadline_for(severity, raised)
        Problem.objects.create(
            center=center,
            unit=unit,
            source="spot",
            severity=severity,
            description=text,
            location=where,
            owner=unit_owner(unit),
            reported_by=reporter,
            raised_on=raised,
            deadline=due.date,
            deadline_provisional=due.provisional,
        )
