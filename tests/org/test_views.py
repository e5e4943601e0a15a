"""Org pages: list pages answer in a fixed number of queries; the tree loads lazily."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gembahall.core.audit import event_record
from gembahall.org.models import Person
from tests import factories as f


@pytest.fixture
def director(db):
    c = f.center()
    p = f.person(c, username="director")
    f.grant(p, "director")
    return p


def grow(center, n: int, dept=None):
    dept = dept or f.department(center)
    for _ in range(n):
        w = f.unit(center, dept=dept)
        for _ in range(2):
            p = f.person(center, w)
            f.grant(p, "staff", unit=w)
        f.grant(f.person(center, w), "liaison", unit=w)
        event_record(actor=None, action="x.y", target=w)
    return dept


def queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    ["org:people", "org:tree", "core:audit", "core:home", "org:department_windows"],
)
def test_list_pages_use_the_same_number_of_queries_for_n_and_10n_rows(
    client, director, url_name
):
    f.signed_in(client, director)
    dept = grow(director.center, 3)
    url = (
        reverse(url_name, args=[dept.public_id])
        if url_name == "org:department_windows"
        else reverse(url_name)
    )
    small = queries(client, url)
    grow(director.center, 27, dept)
    assert queries(client, url) == small


def test_unit_page_query_count_does_not_grow_with_people(client, director):
    f.signed_in(client, director)
    w = f.unit(director.center)
    for _ in range(2):
        f.grant(f.person(director.center, w), "staff", unit=w)
    url = reverse("org:unit_detail", args=[w.public_id])
    small = queries(client, url)
    for _ in range(20):
        f.grant(f.person(director.center, w), "staff", unit=w)
    assert queries(client, url) == small


def test_people_search_finds_by_window_code(client, director):
    w = f.unit(director.center, code="C09")
    target = f.person(director.center, w, name="赵六")
    f.person(director.center, f.unit(director.center), name="孙七")
    f.signed_in(client, director)
    page = client.get(reverse("org:people"), {"q": "C09"}).content.decode()
    assert target.get_absolute_url() in page and "孙七" not in page


def test_tree_loads_a_departments_windows_on_demand(client, director):
    dept = grow(director.center, 2)
    f.signed_in(client, director)
    tree = client.get(reverse("org:tree")).content.decode()
    assert reverse("org:department_windows", args=[dept.public_id]) in tree
    fragment = client.get(
        reverse("org:department_windows", args=[dept.public_id]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<html" not in fragment
    assert fragment.count('class="py-1 border-bottom"') == 2


def test_role_at_a_center_covers_its_sub_centers_not_its_parent(client, db):
    city = f.center("市中心")
    town = f.center("镇中心", parent=city)
    town_director = f.person(town, username="td")
    f.grant(town_director, "director")
    city_person = f.person(city)
    town_person = f.person(town)
    f.signed_in(client, town_director)
    assert (
        client.get(
            reverse("org:person_detail", args=[town_person.public_id])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("org:person_detail", args=[city_person.public_id])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("org:center_tree", args=[city.public_id])).status_code == 404
    )
    city_director = f.person(city, username="cd")
    f.grant(city_director, "director")
    f.signed_in(client, city_director)
    assert (
        client.get(
            reverse("org:person_detail", args=[town_person.public_id])
        ).status_code
        == 200
    )


def test_center_switcher_changes_the_current_center(client, db):
    city = f.center("市中心")
    town = f.center("镇中心", parent=city)
    d = f.person(city, username="d")
    f.grant(d, "director")
    f.person(town, name="镇上的人")
    f.signed_in(client, d)
    client.post(reverse("core:center_switch"), {"center": str(town.public_id)})
    page = client.get(reverse("org:people")).content.decode()
    assert "镇上的人" in page


def test_window_staff_sees_own_unit_only(client, db):
    c = f.center()
    mine, other = f.unit(c), f.unit(c)
    clerk = f.person(c, mine, username="clerk")
    f.grant(clerk, "staff", unit=mine)
    f.signed_in(client, clerk)
    assert (
        client.get(reverse("org:unit_detail", args=[mine.public_id])).status_code == 200
    )
    assert (
        client.get(reverse("org:unit_detail", args=[other.public_id])).status_code
        == 404
    )
    assert Person.objects.visible_to(clerk).count() == 1


def test_cached_pages_show_changes_made_through_the_services(client, director):
    from gembahall.org import services

    admin = f.person(director.center, username="sys")
    f.grant(admin, "sysadmin")
    admin = Person.objects.get(pk=admin.pk)
    f.signed_in(client, director)
    tree = reverse("org:tree")
    people = reverse("org:people")
    client.get(tree)
    client.get(people)
    dept = f.department(director.center, "新进驻部门")
    services.unit_create(
        actor=admin,
        center=director.center,
        kind="window",
        name="新窗口",
        code="Z01",
        department=dept,
    )
    services.person_create(
        actor=admin, center=director.center, name="新同事", staff_number="N1"
    )
    assert "新进驻部门" in client.get(tree).content.decode()
    assert "新同事" in client.get(people).content.decode()


def test_repeat_visits_are_served_from_cache_with_fewer_queries(client, director):
    grow(director.center, 3)
    f.signed_in(client, director)
    url = reverse("org:people")
    first = queries(client, url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) < first


def test_center_switch_never_redirects_off_site(client, director):
    f.signed_in(client, director)
    response = client.post(
        reverse("core:center_switch"),
        {"center": str(director.center.public_id), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:home")


def test_center_switch_with_a_malformed_id_answers_404(client, director):
    f.signed_in(client, director)
    response = client.post(reverse("core:center_switch"), {"center": "not-a-uuid"})
    assert response.status_code == 404


def test_a_window_whose_liaison_ended_is_flagged_without_one(director):
    from django.utils import timezone

    from gembahall.org.models import Unit

    c = director.center
    ended, staffed = f.unit(c), f.unit(c)
    old = f.grant(f.person(c, ended), "liaison", unit=ended)
    old.valid_to = timezone.now()
    old.save()
    f.grant(f.person(c, ended), "staff", unit=ended)
    f.grant(f.person(c, staffed), "liaison", unit=staffed)
    flagged = set(Unit.objects.filter(center=c).without_liaison())
    assert ended in flagged and staffed not in flagged


def test_a_persons_name_and_job_title_read_as_such(client, db):
    """姓名 and 职务 for a person, not 名称 and 标题 as for a record."""
    c = f.center()
    admin = f.person(c, username="sysadmin-labels")
    f.grant(admin, "sysadmin")
    w = f.unit(c)
    f.person(c, w, name="赵六")
    f.signed_in(client, admin)
    form = client.get(reverse("org:person_create")).content.decode()
    assert re.search(r'for="id_name"[^>]*>姓名<', form)
    assert re.search(r'for="id_title"[^>]*>职务<', form)
    people = client.get(reverse("org:people")).content.decode()
    assert '<th class="d-none d-md-table-cell">职务</th>' in people
