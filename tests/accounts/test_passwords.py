"""Temporary passwords, password history and the maximum password age."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gembahall.accounts.models import User
from gembahall.core.models import Event
from gembahall.org import services
from tests import factories as f

LOGIN = "/accounts/login/"
NEW = "Brand-new-2026!x"


@pytest.fixture
def clerk(db):
    c = f.center()
    w = f.unit(c)
    p = f.person(c, w, username="clerk")
    f.grant(p, "staff", unit=w)
    return p


@pytest.fixture
def sysadmin(clerk):
    admin = f.person(clerk.center, username="ops")
    f.grant(admin, "sysadmin")
    return admin


def temporary(admin, person, password="Temp-pass-77!x"):
    services.account_set_password(actor=admin, person=person, password=password)


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def change(client, old, new):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_a_password_set_by_an_administrator_must_be_changed_at_first_sign_in(
    client, clerk, sysadmin
):
    temporary(sysadmin, clerk)
    assert sign_in(client, "clerk", "Temp-pass-77!x").status_code == 302
    for url in ("/", reverse("rectification:problems"), reverse("accounts:sessions")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "由管理员设置" in page
    assert change(client, "Temp-pass-77!x", NEW).status_code == 302
    assert client.get("/").status_code == 200


def test_an_account_opened_by_an_administrator_has_a_temporary_password(
    client, clerk, sysadmin
):
    newcomer = f.person(clerk.center, clerk.unit)
    f.grant(newcomer, "staff", unit=clerk.unit)
    services.account_create(
        actor=sysadmin, person=newcomer, username="newcomer", password="Temp-pass-77!x"
    )
    sign_in(client, "newcomer", "Temp-pass-77!x")
    assert client.get("/")["Location"] == reverse("accounts:password_change")


def test_htmx_and_api_requests_are_turned_to_the_password_change_too(
    client, clerk, sysadmin
):
    temporary(sysadmin, clerk)
    sign_in(client, "clerk", "Temp-pass-77!x")
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("accounts:password_change")
    assert client.get("/api/v1/problems").status_code == 403


def test_an_expired_temporary_password_is_refused_with_a_message(
    client, clerk, sysadmin
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        services.account_set_password(
            actor=sysadmin, person=clerk, password="Temp-pass-77!x"
        )
        clock.shift(timedelta(hours=73))
        response = sign_in(client, "clerk", "Temp-pass-77!x")
        wrong = sign_in(client, "clerk", "Not-the-pass-1!")
    assert response.status_code == 200
    assert "临时密码已过期" in response.content.decode()
    assert "系统管理员" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # A wrong password learns nothing of the expiry.
    assert "临时密码" not in wrong.content.decode()
    assert Event.objects.filter(action="auth.sign_in", result="denied").count() == 1


def test_a_temporary_password_works_within_its_seventy_two_hours(
    client, clerk, sysadmin
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        services.account_set_password(
            actor=sysadmin, person=clerk, password="Temp-pass-77!x"
        )
        clock.shift(timedelta(hours=71))
        assert sign_in(client, "clerk", "Temp-pass-77!x").status_code == 302


def test_the_current_password_is_refused_as_the_new_one(client, clerk):
    sign_in(client, "clerk", f.PASSWORD)
    response = change(client, f.PASSWORD, f.PASSWORD)
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert any("最近 5 次" in e for e in errors)
    clerk.user.refresh_from_db()
    assert clerk.user.check_password(f.PASSWORD)


def test_one_of_the_last_five_passwords_is_refused(clerk):
    user = clerk.user
    for n in range(1, 6):
        user.set_password(f"Rotation-{n}-pass!")
        user.save()
    with pytest.raises(ValidationError) as refused:
        validate_password("Rotation-1-pass!", user)
    assert refused.value.error_list[0].code == "password_reused"
    user.set_password("Rotation-6-pass!")
    user.save()
    validate_password("Rotation-1-pass!", user)  # six passwords ago: allowed
    assert user.password_history.count() == 5


def test_an_administrator_cannot_set_a_recent_password_again(clerk, sysadmin):
    with pytest.raises(ValidationError) as refused:
        services.account_set_password(actor=sysadmin, person=clerk, password=f.PASSWORD)
    assert "password" in refused.value.message_dict


def test_a_password_past_the_maximum_age_must_be_changed(client, clerk, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        assert sign_in(client, "clerk", f.PASSWORD).status_code == 302
        assert client.get("/")["Location"] == reverse("accounts:password_change")
        page = client.get(reverse("accounts:password_change")).content.decode()
        assert "超过 90 天" in page
        change(client, f.PASSWORD, NEW)
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("exempt", ["setting_off", "account_flag"])
def test_the_maximum_age_spares_demo_accounts_and_can_be_turned_off(
    client, clerk, settings, exempt
):
    if exempt == "setting_off":
        settings.PASSWORD_MAX_AGE_DAYS = 0
    else:
        User.objects.filter(pk=clerk.user_id).update(password_never_expires=True)
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        sign_in(client, "clerk", f.PASSWORD)
        assert client.get("/").status_code == 200


def test_the_first_administrators_password_is_permanent(db, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("GEMBAHALL_ADMIN_PASSWORD", "Hall-window-A01x")
    call_command(
        "createadmin", "ops1", "--center", "city", "--center-name", "中心", "--noinput"
    )
    admin = User.objects.get(username="ops1")
    assert admin.password_never_expires and not admin.password_temporary


def test_a_rehash_of_the_same_password_keeps_it_temporary(clerk, sysadmin):
    temporary(sysadmin, clerk)
    user = User.objects.get(pk=clerk.user_id)
    changed_at = user.password_changed_at
    # What Django's rehash of an outdated hash does at sign-in.
    user.set_password("Temp-pass-77!x")
    user._password = None
    user.save(update_fields=["password"])
    user.refresh_from_db()
    assert user.password_temporary and user.password_changed_at == changed_at
