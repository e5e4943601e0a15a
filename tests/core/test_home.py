"""The home page: the to-do list every app feeds, truncated lists that say how
many there are, and the director's figures first."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gembahall.ratings.services import rating_submit
from gembahall.rectification import practices
from gembahall.rectification import services as rectification
from gembahall.standards import services as standards
from tests import factories as f
from tests.rectification.conftest import photo

SHANGHAI = ZoneInfo("Asia/Shanghai")
META = {"title": "桌面", "domain": "resources", "chapter": "06"}


@pytest.fixture
def hall(hall):
    hall.add("inspector2", "inspector", username="inspector2")
    hall.add("liaison", "liaison", unit=hall.w1, username="liaison")
    hall.add("head2", "window_head", unit=hall.w2, username="head2")
    return hall


def waiting(hall, n=1):
    """One item of each kind: a fix to verify, a practice to review, a draft
    to publish, a bad rating to call back and a problem to fix."""
    fixed, open_ = (
        rectification.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description=text,
            uploads=[photo()],
        )
        for text in ("桌面杂乱", "笔筒缺笔")
    )
    rectification.problem_submit(
        actor=hall["head"],
        problem=fixed,
        cause="未归位",
        action="已整理",
        uploads=[photo()],
    )
    practice = practices.practice_submit(
        actor=hall["liaison"],
        unit=hall["w1"],
        title="线条标识法",
        description="档案盒斜线",
        uploads=[photo()],
    )
    standard = standards.standard_create(
        actor=hall["inspector"],
        center=hall["center"],
        code=f"S-{n}",
        body="整洁",
        **META,
    )
    rating = rating_submit(window=hall["w1"], level=1, reasons=["slow"])
    return {
        "fixed": fixed,
        "open": open_,
        "practice": practice,
        "draft": standard.versions.get(),
        "rating": rating,
    }


TODO = re.compile(
    r'data-testid="todo-(\w+\.\w+)">.*?data-testid="todo-count">(\d+)<', re.S
)


def todos(client, person) -> dict[str, int]:
    f.signed_in(client, person)
    page = client.get(reverse("core:home")).content.decode()
    return {kind: int(n) for kind, n in TODO.findall(page)}


def test_each_role_sees_what_waits_on_it_and_the_count_drops_once_done(client, hall):
    items = waiting(hall)
    assert todos(client, hall["director"]) == {"standards.publish": 1}
    assert todos(client, hall["inspector"]) == {
        "problems.verify": 1,
        "practices.review": 1,
    }
    # The open problem and the rating's own rectification wait on the head.
    assert todos(client, hall["head"]) == {"problems.fix": 2, "ratings.callback": 1}
    assert todos(client, hall["head2"]) == {}

    standards.version_publish(actor=hall["director"], version=items["draft"])
    rectification.problem_verify(actor=hall["inspector"], problem=items["fixed"])
    practices.practice_review(
        actor=hall["inspector"], practice=items["practice"], publish=True
    )
    from gembahall.ratings.followups import followup_callback

    followup_callback(
        actor=hall["head"], followup=items["rating"].followup, note="已回访"
    )
    # Once published, the standard waits on everyone it applies to.
    read = {"standards.acknowledge": 1}
    assert todos(client, hall["director"]) == read
    assert todos(client, hall["inspector"]) == read
    assert todos(client, hall["head"]) == {"problems.fix": 2, **read}
    items["draft"].refresh_from_db()
    standards.acknowledgement_record(actor=hall["head"], version=items["draft"])
    assert todos(client, hall["head"]) == {"problems.fix": 2}


def test_each_to_do_links_to_the_list_of_what_waits(client, hall):
    waiting(hall)
    f.signed_in(client, hall["inspector"])
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("rectification:problems")}?state=submitted"' in page
    listing = client.get(reverse("rectification:problems") + "?state=submitted")
    assert "桌面杂乱" in listing.content.decode()
    assert "笔筒缺笔" not in listing.content.decode()
    practices_page = client.get(
        reverse("rectification:practices") + "?state=submitted"
    ).content.decode()
    assert "线条标识法" in practices_page
    f.signed_in(client, hall["director"])
    library = client.get(reverse("standards:library") + "?state=draft")
    assert 'data-testid="draft-badge"' in library.content.decode()
    f.signed_in(client, hall["head"])
    to_fix = client.get(reverse("rectification:problems") + "?state=to_fix")
    assert "笔筒缺笔" in to_fix.content.decode()
    assert "桌面杂乱" not in to_fix.content.decode()
    calls = client.get(reverse("ratings:list") + "?show=callback").content.decode()
    assert "ratings/" in calls and "data-testid" in calls


def home_queries(client, person) -> int:
    f.signed_in(client, person)
    client.get(reverse("core:home"))  # the session and caches settle
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    return len(queries)


def test_the_home_page_reads_a_fixed_number_of_queries(client, hall):
    waiting(hall)
    counts = {who: home_queries(client, hall[who]) for who in ("director", "head")}
    for n in range(2, 12):
        waiting(hall, n)
    assert {who: home_queries(client, hall[who]) for who in counts} == counts
    # The director's one more is the second factor's device, read back on
    # every page of a verified session.
    assert counts == {"director": 43, "head": 19}


def test_a_list_cut_short_says_how_many_and_links_to_all(client, hall):
    for n in range(10):
        rectification.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description=f"问题{n}",
            uploads=[photo()],
        )
    f.signed_in(client, hall["head"])
    page = client.get(reverse("core:home")).content.decode()
    section = page[page.index('data-testid="home-problems"') :]
    section = section[: section.index("</section>")]
    assert section.count('class="list-group-item') == 8
    assert "显示 8 条，共 10 条。" in section
    assert f'href="{reverse("rectification:problems")}?state=not_closed"' in section


def test_the_director_reads_figures_first_and_the_window_head_does_not(client, hall):
    waiting(hall)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("core:home")).content.decode()
    for key in ("inspection", "rectification", "satisfaction", "wait", "overdue"):
        assert f'data-testid="glance-{key}"' in page
    # Figures come before the center's lists.
    assert page.index("center-glance") < page.index("center-overview")
    f.signed_in(client, hall["head"])
    page = client.get(reverse("core:home")).content.decode()
    assert hall["head"].name in page and "center-glance" not in page


@pytest.mark.parametrize(
    "day, shown",
    [(datetime(2026, 12, 1, 10), "2026-11"), (datetime(2026, 12, 15, 10), "2026-12")],
)
def test_the_directors_figures_follow_the_month_rule_of_the_monthly_pages(
    client, hall, day, shown
):
    with time_machine.travel(day.replace(tzinfo=SHANGHAI)):
        f.signed_in(client, hall["director"])
        page = client.get(reverse("core:home")).content.decode()
    glance = page[page.index('data-testid="center-glance"') :]
    assert f"{shown} · 与前一个月对比" in glance
    assert 'data-testid="glance-month-rule"' in glance
