import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f
from tests.core.test_photos import image_bytes


def photo(name="p.jpg"):
    return SimpleUploadedFile(name, image_bytes(), "image/jpeg")


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English; pages render in Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def hall(db):
    c = f.center()
    w1, w2 = f.unit(c), f.unit(c)
    director = f.person(c, username="director")
    f.grant(director, "director")
    inspector = f.person(c, username="insp")
    f.grant(inspector, "inspector")
    inspector2 = f.person(c, username="insp2")
    f.grant(inspector2, "inspector")
    head = f.person(c, w1, username="head1")
    f.grant(head, "window_head", unit=w1)
    w1.head = head
    w1.save()
    liaison = f.person(c, w1, username="liaison1")
    f.grant(liaison, "liaison", unit=w1)
    head2 = f.person(c, w2, username="head2")
    f.grant(head2, "window_head", unit=w2)
    staff = f.person(c, w2, username="staff2")
    f.grant(staff, "staff", unit=w2)
    member = f.person(c, username="member")
    f.grant(member, "staff", unit=w2)
    return {
        "center": c,
        "w1": w1,
        "w2": w2,
        "director": director,
        "inspector": inspector,
        "inspector2": inspector2,
        "head": head,
        "liaison": liaison,
        "head2": head2,
        "staff": staff,
        "member": member,
    }


@pytest.fixture
def problem(hall):
    from gembahall.rectification import services

    return services.problem_report(
        actor=hall["inspector"],
        unit=hall["w1"],
        description="桌面摆放杂乱",
        uploads=[photo()],
    )
