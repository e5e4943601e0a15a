"""Erasing personal data that has served its purpose: the shared step the
apps' periodic jobs call with the rows whose time is up."""

from collections import Counter

from django.db import transaction

from .audit import event_record


@transaction.atomic
def phones_erase(rows, *, label: str) -> int:
    """Empty the phone number of every row of `rows` (a queryset) and write
    one event per center saying how many were erased, never which numbers.
    Returns how many rows were erased."""
    found = list(rows.exclude(phone="").values_list("pk", "center_id"))
    if not found:
        return 0
    rows.model.objects.filter(pk__in=[pk for pk, _c in found]).update(phone="")
    for center_id, n in sorted(Counter(c for _pk, c in found).items()):
        event_record(
            actor=None,
            action="pii.phone_erase",
            center_id=center_id,
            target_type=label,
            target_repr=label,
            after={"erased": n},
        )
    return len(found)
