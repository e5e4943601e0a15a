"""Versioned checklists and plans."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gembahall.inspections import planning, services
from gembahall.inspections.models import Checklist
from tests import factories as f


@pytest.fixture
def hall(db):
    c = f.center()
    window = f.unit(c)
    inspector = f.person(c, username="insp")
    f.grant(inspector, "inspector")
    head = f.person(c, window, username="head")
    f.grant(head, "window_head", unit=window)
    return {
        "center": c,
        "window": window,
        "inspector": inspector,
        "head": head,
        "checklist": f.checklist(c, n=3),
    }


def test_a_new_version_keeps_item_keys_and_new_rounds_use_it(hall):
    v1 = hall["checklist"]
    draft = planning.checklist_draft(actor=hall["inspector"], checklist=v1)
    assert draft.number == 2 and draft.state == "draft"
    assert planning.checklist_draft(actor=hall["inspector"], checklist=v1) == draft
    assert {i.key for i in draft.items.all()} == {i.key for i in v1.items.all()}
    first = draft.items.get(position=1)
    planning.checklist_item_save(
        actor=hall["inspector"],
        checklist=draft,
        item=first,
        criterion="桌面只放定置物品",
        max_points=Decimal(6),
        cap=None,
    )
    planning.checklist_item_save(
        actor=hall["inspector"],
        checklist=draft,
        chapter="09",
        criterion="每一只开关有标识",
        max_points=Decimal(2),
        deduction=Decimal("0.5"),
    )
    planning.checklist_publish(actor=hall["inspector"], checklist=draft)
    v1.refresh_from_db()
    assert v1.state == "retired"
    plan = f.plan(hall["center"], kinds=["window"])
    rnd = services.round_start(
        actor=hall["inspector"],
        plan=plan,
        title="第一轮",
        starts_on=timezone.localdate(),
    )
    inspection = rnd.inspections.get()
    assert inspection.checklist == draft
    assert inspection.results.count() == 4


def test_published_checklists_do_not_change(hall):
    item = hall["checklist"].items.first()
    with pytest.raises(ValidationError):
        planning.checklist_item_save(
            actor=hall["inspector"],
            checklist=hall["checklist"],
            item=item,
            criterion="改",
        )


def test_an_item_cap_above_its_max_is_refused_with_the_field_named(hall, client):
    draft = planning.checklist_draft(
        actor=hall["inspector"], checklist=hall["checklist"]
    )
    item = draft.items.first()
    f.signed_in(client, hall["inspector"])
    response = client.post(
        reverse("inspections:checklist_item_edit", args=[item.public_id]),
        {
            "chapter": "06",
            "criterion": "桌面",
            "max_points": "4",
            "deduction": "1",
            "cap": "9",
            "method": "look",
            "severity": "general",
        },
    )
    assert 'data-field="cap"' in response.content.decode()
    item.refresh_from_db()
    assert item.cap == 4


def test_only_the_osm_office_edits_checklists(hall):
    with pytest.raises(PermissionDenied):
        planning.checklist_draft(actor=hall["head"], checklist=hall["checklist"])
    assert Checklist.objects.count() == 1


def test_an_added_item_is_numbered_within_its_chapter(hall):
    """Items stay numbered in chapter order, so the phone page shows each
    chapter's heading once."""
    draft = planning.checklist_draft(
        actor=hall["inspector"], checklist=hall["checklist"]
    )
    added = planning.checklist_item_save(
        actor=hall["inspector"],
        checklist=draft,
        chapter="05.3",
        criterion="使用文明用语",
        max_points=Decimal(2),
        deduction=Decimal(1),
    )
    items = list(draft.items.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3, 4]
    assert items[0] == added and [i.chapter for i in items] == ["05.3"] + ["06"] * 3


def test_the_starter_window_checklist_keeps_each_chapter_together(db):
    from gembahall.inspections.content import starter_checklists_load

    center = f.center()
    starter_checklists_load(center=center)
    window = Checklist.objects.get(center=center, code="WIN")
    chapters = list(window.items.order_by("position").values_list("chapter", flat=True))
    assert chapters == sorted(chapters)
