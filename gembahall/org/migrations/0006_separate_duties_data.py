"""三员分立 on existing data: a person holding an administrator role keeps the
earliest one and nothing else; every other active role of theirs ends, each
with an event on the trail. Its own migration, so that PostgreSQL commits the
data before the next one adds the constraint and the trigger."""

from django.db import migrations
from django.utils import timezone

ADMIN_ROLES = ("sysadmin", "security_admin", "auditor")


def end_conflicting_roles(apps, schema_editor):
    RoleAssignment = apps.get_model("org", "RoleAssignment")
    Event = apps.get_model("core", "Event")
    active = RoleAssignment.objects.filter(valid_to__isnull=True)
    admins = (
        active.filter(role__in=ADMIN_ROLES)
        .order_by("person_id", "valid_from", "pk")
        .values_list("person_id", "pk")
    )
    kept: dict[int, int] = {}
    for person_id, pk in admins:
        kept.setdefault(person_id, pk)
    now = timezone.now()
    ending = active.filter(person_id__in=kept).exclude(pk__in=kept.values())
    for assignment in ending.select_related("person"):
        Event.objects.create(
            center_id=assignment.center_id,
            actor_name="",
            action="role.end",
            target_type="org.roleassignment",
            target_id=str(assignment.public_id),
            target_repr=f"{assignment.person.name} · {assignment.role}"[:300],
            after={"reason": "separated duties"},
        )
    ending.update(valid_to=now)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_notification"),
        ("org", "0005_unit_is_osm_office"),
    ]

    operations = [
        migrations.RunPython(end_conflicting_roles, migrations.RunPython.noop),
    ]
