"""Problem pages, the dashboard, notifications and the home page's panels."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gembahall.core.models import Notification
from gembahall.org.models import Pairing
from gembahall.rectification import practices as good
from gembahall.rectification import queries as rect_queries
from gembahall.rectification import services
from gembahall.rectification.models import Problem
from tests import factories as f

from .conftest import photo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def many(hall, n, **fields):
    Problem.objects.bulk_create(
        Problem(
            center=hall["center"],
            unit=hall["w1" if i % 2 else "w2"],
            source="inspection",
            description=f"问题{i}",
            owner=hall["head"],
            **fields,
        )
        for i in range(n)
    )


def queries(client, url) -> int:
    client.get(url)  # warm per-process caches (calendar, sessions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_problem_list_and_dashboard_queries_do_not_grow(client, hall):
    f.signed_in(client, hall["director"])
    many(hall, 3)
    small = [queries(client, reverse(n)) for n in ("rectification:problems",)]
    many(hall, 30, state="closed")
    from django.core.cache import cache

    cache.clear()
    large = [queries(client, reverse(n)) for n in ("rectification:problems",)]
    assert small == large
    cache.clear()
    dash_small = queries(client, reverse("rectification:dashboard"))
    many(hall, 40, state="returned")
    cache.clear()
    assert queries(client, reverse("rectification:dashboard")) == dash_small


def test_window_head_sees_only_what_they_may(client, hall, problem):
    other = services.problem_report(
        actor=hall["inspector"],
        unit=hall["w2"],
        description="别的窗口",
        uploads=[photo()],
    )
    f.signed_in(client, hall["head"])
    page = client.get(reverse("rectification:problems")).content.decode()
    assert "桌面摆放杂乱" in page and "别的窗口" not in page
    assert client.get(other.get_absolute_url()).status_code == 404
    home = client.get(reverse("core:home")).content.decode()
    assert problem.get_absolute_url() in home


def test_fix_from_the_page_and_verify_by_an_inspector(client, hall, problem):
    f.signed_in(client, hall["head"])
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'data-testid="fix-panel"' in page and 'data-testid="verify"' not in page
    url = reverse("rectification:problem_submit", args=[problem.public_id])
    response = client.post(url, {"cause": "c", "action": "a"})
    assert response.status_code == 400
    assert 'data-field="photos"' in response.content.decode()
    problem.refresh_from_db()
    assert problem.state == "open"
    response = client.post(
        url, {"cause": "文件未归位", "action": "重新摆放", "photos": [photo()]}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.state == "submitted"
    verify = reverse("rectification:problem_verify", args=[problem.public_id])
    assert client.post(verify).status_code == 403
    f.signed_in(client, hall["inspector"])
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'data-testid="photo-after"' in page and 'data-testid="photo-before"' in page
    client.post(verify)
    problem.refresh_from_db()
    assert problem.state == "closed"


def test_a_returned_fix_shows_the_note_first_and_keeps_what_was_sent(
    client, hall, problem
):
    services.problem_submit(
        actor=hall["head"],
        problem=problem,
        cause="文件未归位",
        action="重新摆放",
        uploads=[photo()],
    )
    services.problem_return(actor=hall["inspector"], problem=problem, note="抽屉仍乱")
    f.signed_in(client, hall["head"])
    page = client.get(problem.get_absolute_url()).content.decode()
    panel = page[page.index('data-testid="fix-panel"') :]
    assert panel.index("抽屉仍乱") < panel.index('data-testid="submit-form"')
    form = page[page.index('data-testid="submit-form"') :]
    assert "文件未归位</textarea>" in form and "重新摆放</textarea>" in form
    assert 'data-testid="kept-photos"' in page
    url = reverse("rectification:problem_submit", args=[problem.public_id])
    response = client.post(url, {"cause": "文件未归位", "action": "抽屉已整理"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.state == "submitted"
    fixes = problem.steps.filter(kind="submitted")
    first, again = fixes
    assert again.action == "抽屉已整理"
    assert list(again.photos.all()) == list(first.photos.all())


def test_report_from_a_phone(client, hall):
    f.signed_in(client, hall["staff"])
    home = client.get(reverse("core:home")).content.decode()
    url = reverse("rectification:report")
    assert f'href="{url}" data-testid="home-report"' in home
    page = client.get(url).content.decode()
    assert 'capture="environment"' in page and "multiple" in page
    response = client.post(url, {"unit": hall["w2"].pk, "description": "地面有水"})
    assert (
        response.status_code == 200
        and 'data-field="photos"' in response.content.decode()
    )
    assert not Problem.objects.exists()
    response = client.post(
        url,
        {
            "unit": hall["w2"].pk,
            "description": "地面有水",
            "severity": "serious",
            "source": "spot",
            "photos": [photo(), photo("b.jpg")],
        },
    )
    problem = Problem.objects.get()
    assert response["Location"] == problem.get_absolute_url()
    assert problem.photos.count() == 2 and problem.reported_by == hall["staff"]
    # The reporter can follow what they reported.
    assert client.get(problem.get_absolute_url()).status_code == 200


def test_dashboard_figures_and_export(client, hall):
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)):
        p = services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description="d",
            uploads=[photo()],
        )
        services.problem_report(
            actor=hall["inspector"],
            unit=hall["w2"],
            description="e",
            uploads=[photo()],
        )
    with time_machine.travel(datetime(2026, 11, 4, 10, tzinfo=SHANGHAI)):
        services.problem_submit(
            actor=hall["head"], problem=p, cause="c", action="a", uploads=[photo()]
        )
        services.problem_verify(actor=hall["inspector"], problem=p)
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        f.signed_in(client, hall["director"])
        response = client.get(reverse("rectification:dashboard"))
        assert 'data-testid="total-overdue">1<' in response.content.decode()
        data = rect_queries.dashboard(hall["center"])
        assert data["totals"]["overdue"] == 1 and data["totals"]["closed"] == 1
        assert data["totals"]["on_time_rate"] == 100.0
        assert data["totals"]["mean_days"] == 2.0
        november = data["months"][-1]
        assert november["raised"] == 2 and november["closed"] == 1
        book = load_workbook(
            io.BytesIO(client.get(reverse("rectification:dashboard_export")).content)
        )
    # A heading row and the two windows.
    assert len(list(book.worksheets[1].values)) == 3
    assert len(list(book.worksheets[2].values)) == 3
    f.signed_in(client, hall["head"])
    assert client.get(reverse("rectification:dashboard")).status_code == 403


def test_notifications_unread_count_and_open(client, hall, problem):
    f.signed_in(client, hall["head"])
    note = Notification.objects.get(person=hall["head"])
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    response = client.post(reverse("core:notification_open", args=[note.public_id]))
    assert response["Location"] == problem.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    page = client.get(reverse("core:home")).content.decode()
    assert hall["head"].name in page and 'data-testid="unread-count"' not in page
    f.signed_in(client, hall["liaison"])
    url = reverse("core:notification_open", args=[note.public_id])
    assert client.post(url).status_code == 404


def test_overdue_reaches_director_as_figure_and_paired_member_as_list(client, hall):
    Pairing.objects.create(
        center=hall["center"], member=hall["member"], unit=hall["w1"]
    )
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)):
        late = services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description="逾期问题",
            uploads=[photo()],
        )
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        f.signed_in(client, hall["director"])
        home = client.get(reverse("core:home")).content.decode()
        # The director reads the center's overdue problems as a figure by
        # department, with the list behind a link.
        assert 'data-testid="glance-overdue"' in home and "1 个逾期问题" in home
        assert late.get_absolute_url() not in home
        f.signed_in(client, hall["member"])
        home = client.get(reverse("core:home")).content.decode()
        assert 'data-testid="paired-overdue"' in home and "逾期问题" in home
        f.signed_in(client, hall["head2"])
        home = client.get(reverse("core:home")).content.decode()
        assert "逾期问题" not in home


def test_published_practices_show_on_other_windows_home(client, hall):
    practice = good.practice_submit(
        actor=hall["liaison"],
        unit=hall["w1"],
        title="线条标识法",
        description="d",
        uploads=[photo()],
    )
    f.signed_in(client, hall["head2"])
    page = client.get(reverse("core:home")).content.decode()
    assert hall["head2"].name in page and "线条标识法" not in page
    good.practice_review(actor=hall["inspector"], practice=practice, publish=True)
    assert "线条标识法" in client.get(reverse("core:home")).content.decode()
    client.post(reverse("rectification:practice_adopt", args=[practice.public_id]))
    assert practice.adoptions.get().unit == hall["w2"]


def test_open_a_cycle_from_the_recurring_prompt(client, hall):
    key = "0193d0a8-0000-7000-8000-000000000002"
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
    f.signed_in(client, hall["inspector"])
    page = client.get(reverse("rectification:improvements")).content.decode()
    url = reverse("rectification:improvement_create") + f"?item={key}"
    assert 'data-testid="recurring"' in page and url in page.replace("&amp;", "&")
    form = client.get(url).context["form"]
    assert len(form.initial["problems"]) == 4
    response = client.post(
        url,
        {
            "title": "表单上下限",
            "goal": "不断档",
            "item_key": key,
            "problems": form.initial["problems"],
        },
    )
    assert response.status_code == 302
    improvement = (
        hall["center"].pk and Problem.objects.get(pk=first.pk).improvements.get()
    )
    assert improvement.problems.count() == 4
    assert (
        client.get(reverse("rectification:improvement_create") + "?item=x").status_code
        == 200
    )
    page = client.get(reverse("rectification:improvements")).content.decode()
    assert 'data-testid="recurring"' not in page


def test_long_pickers_are_searchable_with_the_likeliest_choices_first(
    client, hall, problem
):
    from gembahall.rectification import improvements as cycle

    key = "0193d0a8-0000-7000-8000-000000000003"
    matching = Problem.objects.create(
        center=hall["center"],
        unit=hall["w2"],
        source="inspection",
        description="同一检查项",
        item_key=key,
    )
    many(hall, 5)  # newer problems of other items
    f.signed_in(client, hall["inspector"])
    form = client.get(reverse("rectification:improvement_create") + f"?item={key}")
    html = form.content.decode()
    problems = html[html.index('name="problems"') :]
    assert "data-search" in problems[: problems.index(">")]
    options = [c[0].value for c in form.context["form"]["problems"].field.choices]
    assert options[0] == matching.pk
    # The measure's owner: the people of the problem's window first.
    improvement = cycle.improvement_open(
        actor=hall["inspector"],
        center=hall["center"],
        title="桌面",
        goal="g",
        problems=[problem],
    )
    page = client.get(improvement.get_absolute_url())
    owner = page.context["task_form"]["owner"]
    people = [c[0].instance for c in list(owner.field.choices)[1:]]
    window = {hall["head"], hall["liaison"]}
    assert set(people[:2]) == window and window.isdisjoint(people[2:])
    html = page.content.decode()
    assert "data-search" in html[html.index('name="owner"') :].split(">")[0]
    assert f"{hall['head'].name} · " in html


def test_walk_a_cycle_through_its_pages(client, hall, problem):
    from gembahall.rectification import improvements as cycle

    improvement = cycle.improvement_open(
        actor=hall["inspector"],
        center=hall["center"],
        title="桌面",
        goal="g",
        problems=[problem],
    )
    f.signed_in(client, hall["inspector"])
    base = improvement.get_absolute_url()
    client.post(
        base + "measures/",
        {"title": "贴定位线", "owner": hall["head"].pk, "due": "2026-12-01"},
    )
    task = improvement.tasks.get()
    client.post(base + "advance/", {"text": "计划"})
    client.post(
        base + f"measures/{task.public_id}/done/",
        {"evidence": "已贴", "photos": [photo()]},
    )
    # The measure's evidence photo shows on the page, as a thumbnail served
    # through the permission-checked path.
    evidence = task.photos.get()
    page = client.get(base).content.decode()
    assert reverse("core:photo_thumbnail", args=[evidence.public_id]) in page
    f.signed_in(client, hall["head"])
    assert (
        client.get(
            reverse("core:photo_thumbnail", args=[evidence.public_id])
        ).status_code
        == 200
    )
    f.signed_in(client, hall["inspector"])
    for text in ("已执行", "复查合格", "改为蓝色"):
        response = client.post(base + "advance/", {"text": text})
        assert response.status_code == 302
    improvement.refresh_from_db()
    assert improvement.stage == "standardize" and improvement.audit_result == "复查合格"
    page = client.get(base).content.decode()
    assert 'data-testid="standardize"' in page
    response = client.post(
        base + "standardize/",
        {
            "body": "桌面按蓝色定位线摆放。",
            "code": "ZM-9",
            "title": "桌面定位",
            "chapter": "06",
            "domain": "resources",
        },
    )
    improvement.refresh_from_db()
    assert response.status_code == 302 and improvement.version.standard.code == "ZM-9"
    response = client.post(base + "advance/", {"text": "again"})
    assert improvement.stage == "standardize"


def test_a_pairing_that_ends_leaves_the_members_list_at_once(client, hall, problem):
    pairing = Pairing.objects.create(
        center=hall["center"], member=hall["member"], unit=hall["w1"]
    )
    f.signed_in(client, hall["member"])
    url = reverse("rectification:problems")
    assert "桌面摆放杂乱" in client.get(url).content.decode()
    pairing.valid_to = pairing.valid_from
    pairing.save()
    assert "桌面摆放杂乱" not in client.get(url).content.decode()


def test_a_promoted_practice_shows_in_the_standards_library(client, hall):
    from gembahall.standards.services import version_publish

    practice = good.practice_submit(
        actor=hall["liaison"],
        unit=hall["w1"],
        title="线条标识法",
        description="档案盒书脊画斜线。",
        uploads=[photo()],
    )
    good.practice_review(actor=hall["inspector"], practice=practice, publish=True)
    f.signed_in(client, hall["inspector"])
    promote = reverse("rectification:practice_promote", args=[practice.public_id])
    client.post(
        promote,
        {
            "code": "XT-01",
            "title": "档案盒线条标识",
            "chapter": "10",
            "domain": "resources",
        },
    )
    practice.refresh_from_db()
    version_publish(actor=hall["director"], version=practice.standard.versions.get())
    f.signed_in(client, hall["staff"])
    library = client.get(reverse("standards:library")).content.decode()
    assert "XT-01" in library and "档案盒线条标识" in library


def label_of(page: str, field: str) -> str:
    match = re.search(rf'<label[^>]*for="id_{field}"[^>]*>([^<]*)</label>', page)
    return match.group(1).strip() if match else ""


def test_title_fields_read_as_a_heading_not_a_job_title(client, hall):
    """标题 (a record's heading), never 职务 (a person's job title)."""
    practice = good.practice_submit(
        actor=hall["liaison"],
        unit=hall["w1"],
        title="线条标识法",
        description="档案盒书脊画斜线。",
        uploads=[photo()],
    )
    good.practice_review(actor=hall["inspector"], practice=practice, publish=True)
    f.signed_in(client, hall["inspector"])
    for url in (
        reverse("rectification:improvement_create"),
        reverse("rectification:practice_promote", args=[practice.public_id]),
    ):
        assert label_of(client.get(url).content.decode(), "title") == "标题", url
    f.signed_in(client, hall["liaison"])
    page = client.get(reverse("rectification:practice_create")).content.decode()
    assert label_of(page, "title") == "标题"


def test_the_new_cycle_page_lists_source_problems_by_their_local_day(
    client, hall, problem
):
    # 01:30 on 1 December in the hall is still 30 November in UTC.
    raised = datetime(2026, 12, 1, 1, 30, tzinfo=SHANGHAI)
    Problem.objects.filter(pk=problem.pk).update(created_at=raised)
    f.signed_in(client, hall["inspector"])
    page = client.get(reverse("rectification:improvement_create")).text
    assert f"{hall['w1'].code} · 2026-12-01 · " in page
    assert "2026-11-30" not in page


def test_the_problem_list_offers_reporting_only_to_who_may_report(client, hall):
    sysadmin = f.person(hall["center"], username="sys")
    f.grant(sysadmin, "sysadmin")
    f.signed_in(client, hall["head"])
    page = client.get(reverse("rectification:problems"))
    assert page.status_code == 200
    assert 'data-testid="report-problem"' in page.content.decode()
    # The system administrator reads no problem at all (三员分立).
    f.signed_in(client, sysadmin)
    assert client.get(reverse("rectification:problems")).status_code == 403


def test_my_windows_open_problems_on_the_home_page_come_soonest_deadline_first(
    client, hall
):
    made = [
        services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description=f"问题{n}",
            severity=severity,
            uploads=[photo()],
        )
        for n, severity in enumerate(("minor", "serious", "general"))
    ]
    f.signed_in(client, hall["head"])
    page = client.get(reverse("core:home")).content.decode()
    section = page[page.index('data-testid="home-problems"') :]
    shown = [p.description for p in sorted(made, key=lambda p: p.deadline)]
    assert [section.index(d) for d in shown] == sorted(section.index(d) for d in shown)


def test_each_state_in_the_problem_filter_reads_differently(client, hall):
    f.signed_in(client, hall["inspector"])
    page = client.get(reverse("rectification:problems")).content.decode()
    select = re.search(r'<select name="state".*?</select>', page, re.S).group(0)
    labels = re.findall(r"<option[^>]*>([^<]+)</option>", select)
    assert len(labels) == len(set(labels)) > 5
