from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gembahall.casework.imports.cases import import_cases
from gembahall.casework.models import Case, Notice
from gembahall.core.models import Event
from gembahall.reports.kpis import Scope, case_kpis
from tests import factories as f

from .conftest import write_csv

CASE_HEADER = ["办件编号", "事项名称", "窗口号", "受理时间", "办结时间", "办理结果"]


def cases(hall, tmp_path, n=1, window="A01", first=1):
    today = timezone.localdate()
    rows = [
        [f"C{i}", "企业设立登记", window, f"{today} 09:00", "", ""]
        for i in range(first, first + n)
    ]
    path = write_csv(tmp_path / f"cases{first}.csv", rows, header=CASE_HEADER)
    assert import_cases(center=hall.center, path=path).accepted
    return Case.objects.get(case_no=f"C{first}")


def staff_at(hall, unit, username):
    person = f.person(hall.center, unit, username=username)
    f.grant(person, "staff", unit=unit)
    return person


def compliance(hall):
    today = timezone.localdate()
    kpis = case_kpis(Scope(hall.center.pk), today, today, today)
    return kpis["notice_compliance"]


def test_a_second_notice_breaks_the_one_time_rule_and_moves_the_kpi(
    client, hall, tmp_path
):
    case = cases(hall, tmp_path)
    f.signed_in(client, staff_at(hall, hall.a01, "clerk1"))
    url = reverse("casework:case", kwargs={"case": case.public_id})
    assert 'data-testid="notice-form"' in client.get(url).text
    answer = client.post(url, {"materials": "营业执照副本\n法定代表人身份证"})
    assert answer.status_code == 302
    assert compliance(hall) == 1.0
    page = client.get(url).text
    assert case.case_no in page and "营业执照副本" in page
    assert 'data-testid="breach"' not in page
    client.post(url, {"materials": "股东会决议"})
    case.refresh_from_db()
    assert case.notices == 2
    assert list(case.notice_set.values_list("materials", flat=True)) == [
        "营业执照副本\n法定代表人身份证",
        "股东会决议",
    ]
    page = client.get(url).text
    assert 'data-testid="breach"' in page and "股东会决议" in page
    assert compliance(hall) == 0.0
    assert Event.objects.filter(action="case.notice").count() == 2
    listed = client.get(reverse("casework:cases"), {"state": "breach"})
    assert [c.case_no for c in listed.context["page"]] == ["C1"]


def test_a_notice_without_materials_is_refused_and_nothing_is_written(
    client, hall, tmp_path
):
    case = cases(hall, tmp_path)
    f.signed_in(client, staff_at(hall, hall.a01, "clerk1"))
    url = reverse("casework:case", kwargs={"case": case.public_id})
    page = client.post(url, {"materials": "   "})
    assert page.status_code == 200
    assert "这个字段是必填项" in page.text
    case.refresh_from_db()
    assert case.notices == 0 and not Notice.objects.exists()


def test_staff_of_another_window_neither_see_nor_record_its_cases(
    client, hall, tmp_path
):
    case = cases(hall, tmp_path)
    f.signed_in(client, staff_at(hall, hall.a02, "clerk2"))
    url = reverse("casework:case", kwargs={"case": case.public_id})
    assert client.get(url).status_code == 404
    assert client.post(url, {"materials": "身份证"}).status_code == 404
    assert list(client.get(reverse("casework:cases")).context["page"]) == []
    assert not Notice.objects.exists()


def test_the_director_reads_every_case_but_records_no_notice(client, hall, tmp_path):
    case = cases(hall, tmp_path)
    director = f.person(hall.center, username="director")
    f.grant(director, "director")
    f.signed_in(client, director)
    url = reverse("casework:case", kwargs={"case": case.public_id})
    page = client.get(url)
    assert page.status_code == 200 and case.case_no in page.text
    assert 'data-testid="notice-form"' not in page.text
    assert client.post(url, {"materials": "身份证"}).status_code == 403
    assert not Notice.objects.exists()


def test_the_case_list_reads_a_fixed_number_of_queries(client, hall, tmp_path):
    cases(hall, tmp_path, n=1)
    head = f.person(hall.center, hall.a01, username="head")
    f.grant(head, "window_head", unit=hall.a01)
    f.signed_in(client, head)
    client.get(reverse("casework:cases"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("casework:cases"))
    cases(hall, tmp_path, n=8, first=2)
    cases(hall, tmp_path, n=3, window="A02", first=20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("casework:cases"))
    assert len(page.context["page"]) == 9  # the A02 cases are not the head's
    assert len(many) == len(one)
