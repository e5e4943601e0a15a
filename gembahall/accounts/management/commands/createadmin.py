import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from gembahall.accounts.models import RESERVED_USERNAMES, User
from gembahall.core.audit import event_record
from gembahall.org.models import Center, Person, RoleAssignment

ROLES = ("sysadmin", "security_admin", "auditor", "director")
PASSWORD_ENV = "GEMBAHALL_ADMIN_PASSWORD"


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
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: the password comes from ${PASSWORD_ENV}.",
        )

    @transaction.atomic
    def handle(
        self,
        *args,
        username,
        role,
        center,
        center_name,
        name,
        staff_number,
        interactive=True,
        **opts,
    ):
        password = self.password(interactive)
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
        # The first administrator's password is permanent: nobody else could
        # set a new one when it expired.
        user = User(username=username, password_never_expires=True)
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

    def password(self, interactive: bool) -> str:
        """The password from the environment, else typed twice at a terminal;
        never a traceback when neither is there."""
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env
        if not interactive or not sys.stdin.isatty():
            raise CommandError(
                _(
                    "No password: set %(env)s, or run the command at a terminal "
                    "to type one."
                )
                % {"env": PASSWORD_ENV}
            )
        try:
            first = getpass.getpass(_("Password: "))
            second = getpass.getpass(_("Password (again): "))
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError(
                _("No password was typed; nothing was created.")
            ) from error
        if first != second:
            raise CommandError(_("The two passwords differ; nothing was created."))
        return first
