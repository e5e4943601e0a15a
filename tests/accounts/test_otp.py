"""Two factors: the director and the administrators give a one-time code after
the password; enrolment, recovery codes and the security administrator's reset."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gembahall.accounts.otp import otp_enrol_confirm, otp_enrol_start
from gembahall.core.models import Event
from gembahall.demo.otp import device_code
from tests import factories as f

VERIFY = reverse("accounts:otp_verify")
ENROL = reverse("accounts:otp_enrol")


def later(seconds: int):
    """Past the pause a refused code imposes before the next try."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


def password_step(client, person):
    response = client.post(
        reverse("accounts:login"),
        {"username": person.user.username, "password": f.PASSWORD},
    )
    assert response.status_code == 302
    return client


def enrolled(person) -> list[str]:
    """An authenticator set up for the person; their recovery codes."""
    device = otp_enrol_start(user=person.user)
    return otp_enrol_confirm(
        actor=person, user=person.user, device=device, token=device_code(device)
    )


def test_an_unverified_directors_session_opens_no_business_page(client, hall):
    enrolled(hall.director)
    password_step(client, hall.director)
    problems = client.get(reverse("rectification:problems"))
    assert problems.status_code == 302
    assert problems.url.startswith(VERIFY)
    assert "next=/problems/" in problems.url
    api = client.get("/api/v1/problems")
    assert api.status_code == 401
    assert api.json()["detail"] == "请输入身份验证器上的动态验证码。"
    assert client.get(VERIFY).status_code == 200


def test_a_director_without_a_device_is_taken_to_enrol_and_then_gets_in(client, hall):
    password_step(client, hall.director)
    assert client.get("/").url.startswith(ENROL)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and 'data-testid="otp-secret"' in page
    device = TOTPDevice.objects.get(user=hall.director.user, confirmed=False)
    wrong = client.post(
        ENROL, {"token": "000000" if device_code(device) != "000000" else "111111"}
    )
    assert "验证码不正确或已过期" in wrong.content.decode()
    done = client.post(ENROL, {"token": device_code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200
    assert Event.objects.filter(
        action="otp.enrol", target_repr=hall.director.user.username
    ).exists()


def test_the_code_after_the_password_opens_the_pages(client, hall):
    enrolled(hall.director)
    password_step(client, hall.director)
    device = TOTPDevice.objects.get(user=hall.director.user)
    answer = client.post(VERIFY, {"token": device_code(device), "next": "/problems/"})
    assert answer.status_code == 302 and answer.url == "/problems/"
    assert client.get(reverse("rectification:problems")).status_code == 200


def test_a_wrong_code_is_refused_naming_the_field_and_audited(client, hall):
    enrolled(hall.director)
    password_step(client, hall.director)
    device = TOTPDevice.objects.get(user=hall.director.user)
    wrong = "000000" if device_code(device) != "000000" else "111111"
    answer = client.post(VERIFY, {"token": wrong})
    assert answer.status_code == 200
    assert answer.context["form"].errors["token"] == [
        "验证码不正确或已过期，请输入下一个验证码。"
    ]
    failed = Event.objects.get(action="otp.verify", result=Event.Result.FAILED)
    assert failed.actor_id == hall.director.pk
    assert client.get("/").url.startswith(VERIFY)


def test_a_recovery_code_works_once(client, hall):
    codes = enrolled(hall.director)
    password_step(client, hall.director)
    assert client.post(VERIFY, {"token": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    used = Event.objects.get(action="otp.recovery_use")
    assert used.after == {"left": 9}
    client.post(reverse("accounts:logout"))
    password_step(client, hall.director)
    again = client.post(VERIFY, {"token": codes[0]})
    assert again.status_code == 200
    assert client.get("/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"token": codes[1]}).status_code == 200  # throttled
    with later(seconds=5):
        assert client.post(VERIFY, {"token": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, hall):
    old = enrolled(hall.director)
    f.signed_in(client, hall.director)
    page = client.post(reverse("accounts:otp_codes_new"))
    new = page.context["codes"]
    assert page["Cache-Control"] == "no-store"
    assert set(new).isdisjoint(old)
    assert Event.objects.filter(action="otp.recovery_codes").exists()
    client.post(reverse("accounts:logout"))
    password_step(client, hall.director)
    assert client.post(VERIFY, {"token": old[0]}).status_code == 200
    with later(seconds=5):
        assert client.post(VERIFY, {"token": new[0]}).status_code == 302


@pytest.fixture
def secadmin(hall):
    return hall.add("secadmin", "security_admin", username="hall-secadmin")


def test_the_security_admin_resets_a_lost_device_and_it_is_audited(
    client, hall, secadmin
):
    enrolled(hall.director)
    f.signed_in(client, secadmin)
    page = client.get(hall.director.get_absolute_url()).content.decode()
    assert 'data-testid="otp-reset"' in page
    url = reverse("accounts:otp_reset", args=[hall.director.public_id])
    answer = client.post(url)
    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=hall.director.user).exists()
    reset = Event.objects.get(action="otp.reset")
    assert reset.actor_id == secadmin.pk
    assert reset.target_id == str(hall.director.public_id)
    # At the next sign-in the director sets up a new phone.
    client.post(reverse("accounts:logout"))
    password_step(client, hall.director)
    assert client.get("/").url.startswith(ENROL)


def test_the_security_admin_cannot_reset_their_own_device(client, secadmin):
    f.signed_in(client, secadmin)
    page = client.get(secadmin.get_absolute_url()).content.decode()
    assert 'data-testid="otp-reset"' not in page
    url = reverse("accounts:otp_reset", args=[secadmin.public_id])
    answer = client.post(url, follow=True)
    assert "请由另一位安全管理员重置您本人的双因素认证设备。" in answer.content.decode()
    assert TOTPDevice.objects.filter(user=secadmin.user).exists()
    assert not Event.objects.filter(action="otp.reset").exists()


def test_others_cannot_reset_a_device(client, hall):
    enrolled(hall.clerk)
    f.signed_in(client, hall.director)
    url = reverse("accounts:otp_reset", args=[hall.clerk.public_id])
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=hall.clerk.user).exists()


def test_staff_without_a_device_sign_in_with_the_password_alone(client, hall):
    password_step(client, hall.clerk)
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:otp_settings")).status_code == 200


def test_staff_who_set_up_a_device_are_asked_for_the_code(client, hall):
    enrolled(hall.clerk)
    password_step(client, hall.clerk)
    assert client.get("/").url.startswith(VERIFY)


def test_an_unverified_session_cannot_replace_the_device(client, hall):
    enrolled(hall.director)
    password_step(client, hall.director)
    answer = client.get(ENROL)
    assert answer.status_code == 302 and answer.url == VERIFY
    assert TOTPDevice.objects.filter(user=hall.director.user).count() == 1
