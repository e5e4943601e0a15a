"""Standards: drafts, publishing by a director, history, acknowledgements."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gembahall.core.models import Event
from gembahall.standards import queries, services
from gembahall.standards.content import starter_standards_load
from gembahall.standards.models import Standard
from tests import factories as f
from tests.core.test_photos import decoding_watched, image_bytes


@pytest.fixture
def hall(db):
    c = f.center()
    window, office = f.unit(c), f.unit(c, kind="office", name="督查科")
    inspector = f.person(c, office, username="insp")
    f.grant(inspector, "inspector")
    director = f.person(c, username="dir")
    f.grant(director, "director")
    clerk = f.person(c, window, username="clerk")
    f.grant(clerk, "staff", unit=window)
    clerk2 = f.person(c, window, username="clerk2")
    f.grant(clerk2, "staff", unit=window)
    return {
        "center": c,
        "window": window,
        "inspector": inspector,
        "director": director,
        "clerk": clerk,
        "clerk2": clerk2,
    }


def desk_standard(hall, **meta):
    meta = {
        "title": "窗口桌面标准",
        "domain": "resources",
        "chapter": "06",
        "unit_kinds": ["window"],
        **meta,
    }
    return services.standard_create(
        actor=hall["inspector"],
        center=hall["center"],
        code="S-6-01",
        body="桌面仅摆放定置物品。",
        **meta,
    )


def publish(hall, standard, day=None):
    draft = standard.versions.get(state="draft")
    return services.version_publish(
        actor=hall["director"], version=draft, effective_from=day
    )


def test_only_a_director_publishes(hall):
    standard = desk_standard(hall)
    draft = standard.versions.get()
    with pytest.raises(PermissionDenied):
        services.version_publish(actor=hall["inspector"], version=draft)
    publish(hall, standard)
    standard.refresh_from_db()
    assert standard.current.state == "published"


def test_a_new_version_supersedes_the_old_and_history_keeps_both(hall):
    standard = desk_standard(hall)
    publish(hall, standard, datetime.date(2026, 1, 1))
    draft = services.version_draft(actor=hall["inspector"], standard=standard)
    services.version_update(
        actor=hall["inspector"],
        version=draft,
        body="桌面增加评价器。",
        change_note="加评价器",
    )
    publish(hall, standard, datetime.date(2026, 6, 1))
    versions = list(standard.versions.order_by("number"))
    assert [(v.number, v.state) for v in versions] == [
        (1, "superseded"),
        (2, "published"),
    ]
    assert versions[0].effective_to == datetime.date(2026, 6, 1)
    assert Event.objects.filter(action="standard.publish").count() == 2


def test_published_versions_cannot_be_edited(hall):
    standard = desk_standard(hall)
    version = publish(hall, standard)
    with pytest.raises(ValidationError):
        services.version_update(actor=hall["inspector"], version=version, body="改")


def test_a_draft_copies_the_reference_photos(hall):
    standard = desk_standard(hall)
    services.reference_photo_add(
        actor=hall["inspector"],
        version=standard.versions.get(),
        upload=SimpleUploadedFile("d.jpg", image_bytes(), "image/jpeg"),
        caption="桌面",
    )
    publish(hall, standard)
    draft = services.version_draft(actor=hall["inspector"], standard=standard)
    assert [p.caption for p in draft.photos.all()] == ["桌面"]


def test_staff_see_only_the_standards_that_apply_to_them(hall):
    desk = desk_standard(hall)
    publish(hall, desk)
    other = services.standard_create(
        actor=hall["inspector"],
        center=hall["center"],
        code="S-10-02",
        body="档案",
        title="档案室",
        domain="resources",
        chapter="10",
        unit_kinds=["office"],
    )
    publish(hall, other)
    titles = [
        r["standard"].title
        for r in queries.standards_for(hall["clerk"], hall["center"])
    ]
    assert titles == ["窗口桌面标准"]


def test_acknowledging_and_who_has_not(hall):
    standard = desk_standard(hall)
    version = publish(hall, standard)
    services.acknowledgement_record(actor=hall["clerk"], version=version)
    services.acknowledgement_record(actor=hall["clerk"], version=version)
    no_account = f.person(hall["center"], hall["window"])
    standard.refresh_from_db()
    progress = queries.acknowledgement_progress(standard)
    assert progress["covered"] == 3
    assert [p for p, _at in progress["acknowledged"]] == [hall["clerk"]]
    assert set(progress["missing"]) == {hall["clerk2"], no_account}
    assert Event.objects.filter(action="standard.acknowledge").count() == 1


def test_a_standard_that_does_not_apply_cannot_be_acknowledged(hall):
    standard = desk_standard(hall)
    version = publish(hall, standard)
    with pytest.raises(ValidationError):
        services.acknowledgement_record(actor=hall["inspector"], version=version)


def test_a_new_version_needs_a_new_acknowledgement(hall):
    standard = desk_standard(hall)
    services.acknowledgement_record(
        actor=hall["clerk"], version=publish(hall, standard)
    )
    services.version_draft(actor=hall["inspector"], standard=standard)
    publish(hall, standard)
    rows = queries.standards_for(hall["clerk"], hall["center"])
    assert [r["acknowledged"] for r in rows] == [False]


@pytest.mark.parametrize(
    "day,title",
    [
        (datetime.date(2026, 7, 1), "夏季着装"),
        (datetime.date(2026, 12, 1), "冬季着装"),
        (datetime.date(2027, 3, 1), "冬季着装"),
    ],
)
def test_todays_dress_code_follows_the_season(hall, day, title):
    for code, name, season in (
        ("D1", "夏季着装", ("05-01", "09-30")),
        ("D2", "冬季着装", ("10-01", "04-30")),
    ):
        s = services.standard_create(
            actor=hall["inspector"],
            center=hall["center"],
            code=code,
            body="着装",
            title=name,
            domain="service",
            chapter="05.1",
            season_from=season[0],
            season_to=season[1],
        )
        publish(hall, s)
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9)):
        codes = [
            s.title
            for s in queries.todays_dress_code(
                queries.standards_for(hall["clerk"], hall["center"])
            )
        ]
    assert codes == [title]


def test_a_season_needs_both_ends(hall):
    with pytest.raises(ValidationError):
        desk_standard(hall, season_from="05-01")
    assert not Standard.objects.exists()


def test_starter_standards_cover_the_seed_with_example_drawings(hall):
    count = starter_standards_load(
        center=hall["center"], author=hall["inspector"], publisher=hall["director"]
    )
    assert count >= 25
    titles = set(Standard.objects.values_list("title", flat=True))
    seed = {
        "窗口桌面标准",
        "开关插座标识",
        "档案盒线条标识法",
        "首问负责制",
        "办结承诺制",
        "一次性告知制",
        "窗口应急机制",
        "服务忌语",
    }
    assert seed <= titles
    desk = Standard.objects.get(title="窗口桌面标准")
    assert desk.current.photos.get().is_example
    assert (
        starter_standards_load(
            center=hall["center"], author=hall["inspector"], publisher=hall["director"]
        )
        == 0
    )


def test_a_seasonal_standard_gives_way_to_its_chapters_standard_in_season(hall):
    def dress(code, start="", end="", chapter="05.1"):
        standard = services.standard_create(
            actor=hall["inspector"],
            center=hall["center"],
            code=code,
            body=code,
            title=code,
            domain="service",
            chapter=chapter,
            season_from=start,
            season_to=end,
        )
        publish(hall, standard)
        return standard

    summer = dress("SUMMER", "05-01", "09-30")
    winter = dress("WINTER", "10-01", "04-30")
    lonely = dress("HAT", "06-01", "08-31", chapter="05.2")
    desk = dress("DESK", chapter="06")
    december = queries.season_swaps(hall["center"], datetime.date(2026, 12, 1))
    # No swap without a standard of the chapter in season, nor for one in season.
    assert december == {summer.pk: winter}
    july = queries.season_swaps(hall["center"], datetime.date(2026, 7, 1))
    assert july == {winter.pk: summer}
    assert queries.in_force_id(summer.pk, december) == winter.pk
    assert queries.in_force_id(desk.pk, december) == desk.pk
    assert lonely.pk not in december


def test_a_reference_photo_is_decoded_before_the_transaction(hall):
    standard = desk_standard(hall)
    with decoding_watched() as depths:
        services.reference_photo_add(
            actor=hall["inspector"],
            version=standard.versions.get(),
            upload=SimpleUploadedFile("d.jpg", image_bytes(), "image/jpeg"),
            caption="桌面",
        )
    assert depths and set(depths) == {0}


def test_a_new_draft_tells_those_who_may_publish_it_once(db):
    from gembahall.core.models import Notification
    from gembahall.standards.services import standard_create, version_draft

    c = f.center()
    director, inspector = f.person(c), f.person(c)
    f.grant(director, "director")
    f.grant(inspector, "inspector")
    standard = standard_create(
        actor=inspector,
        center=c,
        code="S-1",
        body="桌面整洁",
        title="桌面",
        domain="resources",
        chapter="06",
    )
    first = Notification.objects.get(person=director, kind="standard.draft")
    assert "S-1" in first.title
    assert first.url == f"/standards/versions/{standard.versions.get().public_id}/"
    services.version_publish(actor=director, version=standard.versions.get())
    draft = version_draft(actor=inspector, standard=standard)
    version_draft(actor=inspector, standard=standard)  # the same draft again
    notes = Notification.objects.filter(kind="standard.draft", person=director)
    assert notes.count() == 2 and str(draft.public_id) in notes.first().url
    assert not Notification.objects.filter(person=inspector).exists()
