"""Org use-cases: separated admin duties, liaisons, history kept on change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gembahall.core.models import Event
from gembahall.org import services
from gembahall.org.models import Person, RoleAssignment
from tests import factories as f


@pytest.fixture
def hall(db):
    c = f.center()
    w = f.unit(c, code="A01")
    people = {}
    for role in ("sysadmin", "security_admin", "auditor", "director"):
        p = f.person(c, username=role)
        f.grant(p, role)
        people[role] = Person.objects.get(pk=p.pk)
    people["clerk"] = f.person(c, w, username="clerk")
    return {"center": c, "window": w, **people}


def test_sysadmin_cannot_assign_roles(hall):
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=hall["sysadmin"],
            person=hall["clerk"],
            role="staff",
            unit=hall["window"],
        )


def test_security_admin_cannot_create_accounts(hall):
    target = f.person(hall["center"])
    with pytest.raises(PermissionDenied):
        services.account_create(
            actor=hall["security_admin"],
            person=target,
            username="newbie",
            password="Hall-window-A01x",
        )


def test_security_admin_grants_a_role_and_it_is_audited(hall):
    a = services.role_assign(
        actor=hall["security_admin"],
        person=hall["clerk"],
        role="staff",
        unit=hall["window"],
    )
    assert a.is_active
    event = Event.objects.get(action="role.assign")
    assert event.actor_id == hall["security_admin"].pk and event.target_id == str(
        a.public_id
    )


@pytest.mark.parametrize("role", ["sysadmin", "security_admin", "auditor"])
def test_no_admin_grants_itself_a_role(hall, role):
    actor = hall[role]
    with pytest.raises((PermissionDenied, ValidationError)):
        services.role_assign(actor=actor, person=actor, role="director")
    assert RoleAssignment.objects.filter(person=actor).count() == 1


def test_security_admin_cannot_end_its_own_role(hall):
    actor = hall["security_admin"]
    own = RoleAssignment.objects.get(person=actor)
    with pytest.raises(ValidationError):
        services.role_end(actor=actor, assignment=own)


@pytest.mark.parametrize("role", ["sysadmin", "security_admin"])
def test_only_auditor_and_director_read_the_audit_trail(client, hall, role):
    f.signed_in(client, hall[role])
    assert client.get(reverse("core:audit")).status_code == 403
    for reader in ("auditor", "director"):
        f.signed_in(client, hall[reader])
        assert client.get(reverse("core:audit")).status_code == 200


def test_sysadmin_cannot_reach_role_assignment_page(client, hall):
    f.signed_in(client, hall["sysadmin"])
    url = reverse("org:role_assign", args=[hall["clerk"].public_id])
    assert client.get(url).status_code == 403


def test_reserved_usernames_are_refused(hall):
    target = f.person(hall["center"])
    for name in ("admin", "Root"):
        with pytest.raises(ValidationError):
            services.account_create(
                actor=hall["sysadmin"],
                person=target,
                username=name,
                password="Hall-window-A01x",
            )


def test_database_allows_one_active_liaison_per_window(hall):
    w = hall["window"]
    f.grant(f.person(hall["center"], w), "liaison", unit=w)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.grant(f.person(hall["center"], w), "liaison", unit=w)


def test_second_liaison_gets_a_clear_message(hall):
    w = hall["window"]
    services.role_assign(
        actor=hall["security_admin"], person=hall["clerk"], role="liaison", unit=w
    )
    other = f.person(hall["center"], w)
    with pytest.raises(ValidationError) as error:
        services.role_assign(
            actor=hall["security_admin"], person=other, role="liaison", unit=w
        )
    assert "role" in error.value.message_dict


def test_ended_liaison_frees_the_window(hall):
    w = hall["window"]
    first = services.role_assign(
        actor=hall["security_admin"], person=hall["clerk"], role="liaison", unit=w
    )
    services.role_end(actor=hall["security_admin"], assignment=first)
    other = f.person(hall["center"], w)
    services.role_assign(
        actor=hall["security_admin"], person=other, role="liaison", unit=w
    )
    assert RoleAssignment.objects.filter(unit=w, role="liaison").count() == 2


def test_renumbering_keeps_the_old_code_on_earlier_records(client, hall):
    w = hall["window"]
    role = f.grant(hall["clerk"], "staff", unit=w)
    services.unit_update(actor=hall["sysadmin"], unit=w, code="B07")
    w.refresh_from_db()
    assert w.code == "B07"
    assert role.unit_label.startswith("A01")
    assert list(w.versions.values_list("code", flat=True)) == ["A01", "B07"]
    f.signed_in(client, hall["director"])
    page = client.get(reverse("org:unit_detail", args=[w.public_id])).content.decode()
    assert "A01" in page and "B07" in page
    assert Event.objects.filter(action="unit.renumber").exists()


def test_ending_a_unit_ends_its_roles_but_deletes_nothing(hall):
    w = hall["window"]
    role = f.grant(hall["clerk"], "staff", unit=w)
    services.unit_end(actor=hall["sysadmin"], unit=w)
    role.refresh_from_db()
    w.refresh_from_db()
    assert w.valid_to is not None and role.valid_to is not None


def test_merging_departments_moves_windows_and_keeps_history(hall):
    c, w = hall["center"], hall["window"]
    old = w.department
    target = f.department(c, "合并后部门")
    services.department_merge(actor=hall["sysadmin"], source=old, target=target)
    w.refresh_from_db()
    old.refresh_from_db()
    assert w.department == target and old.merged_into == target and old.valid_to
    assert [v.department_name for v in w.versions.all()] == [old.name, target.name]


def test_phone_is_masked_and_revealed_only_to_roles_that_need_it(client, hall):
    clerk = hall["clerk"]
    f.grant(clerk, "staff", unit=hall["window"])
    inspector = f.person(hall["center"], username="insp")
    f.grant(inspector, "inspector")
    url = reverse("org:person_detail", args=[clerk.public_id])
    f.signed_in(client, inspector)
    assert "138****5678" in client.get(url).content.decode()
    f.signed_in(client, hall["director"])
    assert "13812345678" not in client.get(url).content.decode()
    reveal = reverse("org:person_phone", args=[clerk.public_id])
    assert "13812345678" in client.post(reveal).content.decode()


def test_invalid_person_form_names_the_field_and_writes_nothing(client, hall):
    f.signed_in(client, hall["sysadmin"])
    before = Person.objects.count()
    response = client.post(
        reverse("org:person_create"),
        {"name": "张三", "staff_number": "", "phone": "123"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "staff_number" in errors and "phone" in errors
    assert Person.objects.count() == before


def test_sysadmin_sets_a_first_password_on_an_imported_account(client, hall):
    from gembahall.accounts.models import User

    user = User.objects.create(username="imported")
    user.set_unusable_password()
    user.save()
    target = f.person(hall["center"])
    target.user = user
    target.save()
    f.signed_in(client, hall["sysadmin"])
    url = reverse("org:account_create", args=[target.public_id])
    weak = client.post(url, {"password": "short"})
    assert "password" in weak.context["form"].errors
    client.post(url, {"password": "Hall-window-A01x"})
    user.refresh_from_db()
    assert user.check_password("Hall-window-A01x")
    assert Event.objects.filter(action="account.set_password").exists()


def test_sample_roster_downloads(client, hall):
    f.signed_in(client, hall["sysadmin"])
    response = client.get(reverse("org:import_sample"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_director_seats_a_member_and_pairs_them_with_a_window(client, hall):
    from gembahall.org.models import Pairing

    member = f.person(hall["center"], name="委员甲")
    f.signed_in(client, hall["director"])
    client.post(
        reverse("org:committee_join"), {"person": member.pk, "position": "member"}
    )
    assert member.committee_seats.filter(valid_to__isnull=True).exists()
    window = hall["window"]
    client.post(
        reverse("org:pairing_add", args=[window.public_id]), {"member": member.pk}
    )
    pairing = Pairing.objects.get(member=member, unit=window)
    page = client.get(
        reverse("org:unit_detail", args=[window.public_id])
    ).content.decode()
    assert "委员甲" in page
    assert Event.objects.filter(action="pairing.add").exists()
    seat = member.committee_seats.get()
    client.post(reverse("org:committee_leave", args=[seat.public_id]))
    pairing.refresh_from_db()
    assert pairing.valid_to is not None


def test_only_committee_members_are_paired(hall):
    with pytest.raises(ValidationError):
        services.pairing_add(
            actor=hall["director"], member=hall["clerk"], unit=hall["window"]
        )


def test_sysadmin_cannot_manage_the_committee(client, hall):
    f.signed_in(client, hall["sysadmin"])
    member = f.person(hall["center"])
    response = client.post(reverse("org:committee_join"), {"person": member.pk})
    assert response.status_code == 403
    assert not member.committee_seats.exists()
