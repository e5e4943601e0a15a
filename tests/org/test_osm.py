"""The OSM office: one office per center, marked on the unit form by the
system administrator, and its head as other code asks for it."""

import pytest
from django.core.exceptions import ValidationError

from gembahall.org import services
from gembahall.org.osm import osm_office, osm_office_head
from tests import factories as f


@pytest.fixture
def center(db):
    c = f.center()
    admin = f.person(c, username="sys")
    f.grant(admin, "sysadmin")
    return c, admin


def test_the_osm_office_head_is_the_units_head_else_its_leader(center):
    c, admin = center
    office = f.unit(c, kind="office", name="考核督查科")
    assert osm_office_head(c) is None
    services.unit_update(actor=admin, unit=office, is_osm_office=True)
    assert osm_office(c) == office
    assert osm_office_head(c) is None  # nobody heads it yet
    leader = f.person(c, office)
    leader.is_leader = True
    leader.save()
    assert osm_office_head(c) == leader
    head = f.person(c, office)
    services.unit_update(actor=admin, unit=office, head=head)
    assert osm_office_head(c) == head


def test_a_center_has_one_osm_office_and_only_an_office_can_be_it(center):
    c, admin = center
    first = f.unit(c, kind="office")
    second = f.unit(c, kind="office")
    services.unit_update(actor=admin, unit=first, is_osm_office=True)
    with pytest.raises(ValidationError, match="OSM"):
        services.unit_update(actor=admin, unit=second, is_osm_office=True)
    with pytest.raises(ValidationError):
        services.unit_update(actor=admin, unit=f.unit(c), is_osm_office=True)
    # Another center has its own.
    other = f.center("乙中心")
    office = f.unit(other, kind="office")
    office.is_osm_office = True
    office.save()
    assert osm_office(other) == office and osm_office(c) == first


def test_the_sysadmin_marks_it_on_the_unit_form(center, client):
    c, admin = center
    office = f.unit(c, kind="office", name="考核督查科")
    f.signed_in(client, admin)
    response = client.post(
        f"/org/units/{office.public_id}/edit/",
        {"kind": "office", "name": office.name, "is_osm_office": "on"},
    )
    assert response.status_code == 302
    assert osm_office(c) == office
    page = client.get(f"/org/units/{office.public_id}/").content.decode()
    assert 'data-testid="osm-office"' in page
