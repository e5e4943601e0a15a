"""三员分立, route by route: each of the three administrators, GET, POST (and PATCH)
on every route of the insider matrix (tests/routes_matrix.py), is refused unless the
route is their own duty: accounts and the structure for the system
administrator, roles for the security administrator, reading the audit trail
(GET only) for the auditor."""

import pytest

from tests import factories as f
from tests import routes_matrix as routes
from tests.routes_matrix import PRIVATE, url_for

# The insider matrix's center A, with its people.
world = routes.world
insiders = routes.insiders

# Every role's own pages: the home page, notifications, the center switch and
# one's own password. What they show is narrowed by the person's duty.
EVERY_ROLE = {
    "accounts:otp_codes_new",
    "accounts:otp_enrol",
    "accounts:otp_settings",
    "accounts:otp_verify",
    "accounts:password_change",
    "accounts:session_end",
    "accounts:sessions",
    "core:center_switch",
    "core:home",
    "core:notification_open",
    "core:notifications",
    "core:notifications_read",
}
ORG_READ = {
    "org:center_tree",
    "org:committee",
    "org:department_windows",
    "org:people",
    "org:person_detail",
    "org:tree",
    "org:unit_detail",
}
OWN = {
    "sys": ORG_READ
    | {
        "core:job_detail",
        "org:account_create",
        "org:import",
        "org:import_confirm",
        "org:import_job",
        "org:import_sample",
        "org:person_create",
        "org:person_edit",
        "org:unit_create",
        "org:unit_edit",
        "org:unit_end",
    },
    "security-a": ORG_READ | {"accounts:otp_reset", "org:role_assign", "org:role_end"},
    "auditor-a": {"core:audit", "core:audit_export"},
}
READ_ONLY = {"auditor-a"}
REFUSED = {403, 404, 405}


@pytest.fixture
def auditor(world, insiders):
    from gembahall.org.models import Center

    a = Center.objects.get(public_id=world["objects"]["center"])
    f.grant(f.person(a, username="auditor-a"), "auditor")


def _login(client, username):
    from gembahall.accounts.models import User

    f.signed_in(client, User.objects.get(username=username).person)


@pytest.mark.parametrize("persona", sorted(OWN))
def test_administrators_are_refused_everywhere_but_their_duty(
    client, world, insiders, auditor, persona
):
    _login(client, persona)
    wrong = []
    for name, pattern in PRIVATE:
        if name in EVERY_ROLE:
            continue
        url = url_for(name, pattern, world["objects"])
        get, post = client.get(url).status_code, client.post(url).status_code
        # The API's updates take PATCH alone.
        patch = client.patch(url, "{}", content_type="application/json").status_code
        if name in OWN[persona]:
            if get in (403, 404) or (persona in READ_ONLY and post not in REFUSED):
                wrong.append((name, "own", get, post))
        elif not ({get, post, patch} <= REFUSED and {get, post, patch} - {405}):
            wrong.append((name, get, post, patch))
    assert wrong == []


def test_the_matrix_names_only_routes_that_exist():
    names = {name for name, _p in PRIVATE}
    assert set().union(*OWN.values(), EVERY_ROLE) - names == set()
