"""Staff phone numbers: masked on every page, revealed on purpose and on the
trail, and never written into the audit trail."""

from django.urls import reverse

from gembahall.core.models import Event
from gembahall.org.services import person_update
from tests import factories as f

PHONE = "13955501234"


def with_phone(hall):
    hall.clerk.phone = PHONE
    hall.clerk.save()
    return hall.clerk


def test_the_people_list_and_the_unit_page_show_numbers_masked(client, hall):
    with_phone(hall)
    f.signed_in(client, hall.director)
    people = client.get(reverse("org:people")).content.decode()
    unit = client.get(hall.a01.get_absolute_url()).content.decode()
    for page in (people, unit):
        assert PHONE not in page and "139****1234" in page


def test_the_director_reveals_a_number_on_purpose_and_the_trail_says_so(client, hall):
    clerk = with_phone(hall)
    f.signed_in(client, hall.director)
    page = client.get(clerk.get_absolute_url()).content.decode()
    assert PHONE not in page and "139****1234" in page
    assert 'data-testid="phone-reveal"' in page
    url = reverse("org:person_phone", args=[clerk.public_id])
    shown = client.post(url)
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    event = Event.objects.get(action="person.phone_reveal")
    assert event.actor_id == hall.director.pk
    assert event.target_id == str(clerk.public_id)
    assert event.center_id == hall.center.pk
    assert PHONE not in f"{event.before}{event.after}{event.target_repr}"
    # The next visit is masked again; the edit form never carries the number.
    assert PHONE not in client.get(clerk.get_absolute_url()).content.decode()
    edit = client.get(reverse("org:person_edit", args=[clerk.public_id]))
    assert PHONE not in edit.content.decode()


def test_someone_without_the_need_cannot_reveal_a_number(client, hall):
    clerk = with_phone(hall)
    f.signed_in(client, hall.inspector)
    page = client.get(clerk.get_absolute_url()).content.decode()
    assert PHONE not in page and 'data-testid="phone-reveal"' not in page
    answer = client.post(reverse("org:person_phone", args=[clerk.public_id]))
    assert answer.status_code in (403, 404)
    assert not Event.objects.filter(action="person.phone_reveal").exists()


def test_the_trail_records_that_a_number_changed_never_the_number(hall):
    clerk = with_phone(hall)
    admin = hall.add("admin", "sysadmin")
    person_update(actor=admin, person=clerk, phone="13955509876")
    event = Event.objects.get(action="person.update")
    assert set(event.before) == set(event.after) == {"phone"}
    assert event.before["phone"] != event.after["phone"]
    assert event.before["phone"][0] == event.after["phone"][0] == "#"
    assert (event.actor_id, event.center_id) == (admin.pk, hall.center.pk)
    assert PHONE not in str(event.before) and "13955509876" not in str(event.after)
    assert "9876" not in str(event.after) and "1234" not in str(event.before)
    # The same number gives the same mark: an edit of the name shows no change
    # of phone.
    person_update(actor=admin, person=clerk, name="新名字")
    renamed = Event.objects.filter(action="person.update").order_by("-id").first()
    assert set(renamed.after) == {"name"}
