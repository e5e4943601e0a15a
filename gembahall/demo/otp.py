"""The demo's authenticators: fixed secrets, printed by the demo command and
listed in the README, so a person or a script computes the codes
(`oathtool --totp -b SECRET`)."""

import time
from base64 import b32decode

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

# The accounts whose roles require a second factor.
DEMO_OTP_SECRETS = {
    "director": "DEMODIRECTORGEMBAHALLTOTPSECRET2",
    "sysadmin": "DEMOSYSADMINGEMBAHALLTOTPSECRET2",
    "secadmin": "DEMOSECADMINGEMBAHALLTOTPSECRET2",
    "auditor": "DEMOAUDITORSGEMBAHALLTOTPSECRET2",
}


def demo_otp_devices(users) -> None:
    """Give each listed demo account its authenticator with the fixed secret."""
    for user in users:
        secret = DEMO_OTP_SECRETS.get(user.username)
        if secret is None or TOTPDevice.objects.filter(user=user).exists():
            continue
        TOTPDevice.objects.create(
            user=user,
            name="authenticator",
            key=b32decode(secret).hex(),
            confirmed=True,
        )


def demo_otp_code(username: str) -> str:
    """The code the account's authenticator shows now; when this step's code
    was already used (a code works once), the next step's, which the server
    also accepts, waiting for the clock if even that one is used."""
    return device_code(TOTPDevice.objects.get(user__username=username, confirmed=True))


def device_code(device: TOTPDevice) -> str:
    """The code a device's authenticator shows now, or the next step's when
    this step's code was already used."""
    while True:
        now = int(time.time() - device.t0) // device.step + device.drift
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"
        time.sleep(1)
