import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from gembahall.accounts.models import RESERVED_USERNAMES, User
from gembahall.core.audit import event_record
from gembahall.org.models import Center, Person, RoleAssignment

ROLES = ("sysadmin", "security_admin", "auditor", "director")


class Command(BaseCommand):
    help = "Create a first administrator of a center (and the center, if new)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=ROLES, default="sysadmin")
        parser.add_argument("--center", required=True, help="Center code.")
        parser.add_argument(
            "--center-name", default="", help="Name, when the center is new."
        )
        parser.add_argument("--name", default="", help="The person's name.")
        parser.add_argument("--staff-number", default="")

    @transaction.atomic
    def handle(
        self, *args, username, role, center, center_name, name, staff_number, **opts
    ):
        if username.lower() in RESERVED_USERNAMES:
            raise CommandError(_("This username is reserved; choose another."))
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(_("This username is already taken."))
        center_obj = Center.objects.filter(code=center).first()
        if center_obj is None:
            if not center_name:
                raise CommandError(_("New center: give its name with --center-name."))
            center_obj = Center.objects.create(
                code=center, name=center_name, kind="city"
            )
        password = getpass.getpass(_("Password: "))
        user = User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        person = Person.objects.create(
            center=center_obj,
            name=name or username,
            user=user,
            staff_number=staff_number or f"ADMIN-{username}",
        )
        RoleAssignment.objects.create(center=center_obj, person=person, role=role)
        event_record(
            actor=None,
            action="account.create_admin",
            target=person,
            after={"role": role},
        )
        self.stdout.write(
            _("Created %(user)s as %(role)s.") % {"user": username, "role": role}
        )
