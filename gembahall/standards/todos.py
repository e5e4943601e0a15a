"""Drafts waiting for the person who may publish them (registered in
StandardsConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gembahall.core.todo import Todo, todo_provider

from .models import StandardVersion


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
