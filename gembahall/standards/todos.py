"""What standards wait on a person for (registered in StandardsConfig.ready):
drafts to publish, and their own standards to read and acknowledge."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gembahall.core.todo import Todo, todo_provider

from .models import StandardVersion
from .queries import standards_for


@todo_provider("standards.publish")
def drafts_to_publish(person, center):
    if not person.has_perm("standards.publish", center=center):
        return []
    count = StandardVersion.objects.filter(
        center=center, state=StandardVersion.State.DRAFT
    ).count()
    return [
        Todo(
            kind="standards.publish",
            label=_("Standard drafts to publish"),
            count=count,
            url=f"{reverse('standards:library')}?state=draft",
            icon="journal-check",
        )
    ]


@todo_provider("standards.acknowledge")
def standards_to_acknowledge(person, center):
    """The person's own standards whose current version they have not yet
    read and acknowledged."""
    count = sum(not row["acknowledged"] for row in standards_for(person, center))
    return [
        Todo(
            kind="standards.acknowledge",
            label=_("Standards to read and acknowledge"),
            count=count,
            url=reverse("standards:mine"),
            icon="bookmark-check",
        )
    ]
