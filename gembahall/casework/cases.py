"""Cases at the windows, and the 补正 notices given for them: a second notice
on the same case breaks the one-time-notice rule (一次性告知)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record

from .models import Case, Notice
from .rollups import CASE_FACT_FIELDS, CaseDeltas, stored_case_fact


def may_record_notice(person, case) -> bool:
    return case.window_id is not None and case.window_id in person.scope.unit_ids(
        "cases.notice"
    )


def _fact(case):
    return stored_case_fact(
        {f: getattr(case, f) for f in CASE_FACT_FIELDS}, timezone.get_current_timezone()
    )


@transaction.atomic
def notice_record(*, actor, case: Case, materials: str) -> Notice:
    """Record the materials asked of the citizen. The case counts one more
    notice and the case rollups move by delta; from the second notice on the
    case shows as a breach of the one-time-notice rule."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_record_notice(actor, case):
        raise PermissionDenied
    materials = materials.strip()
    if not materials:
        raise ValidationError(
            {"materials": _("List the materials the citizen still has to bring.")}
        )
    before = _fact(case)
    notice = Notice.objects.create(
        center=case.center,
        case=case,
        issued_at=timezone.now(),
        materials=materials,
        issued_by=actor,
    )
    case.notices += 1
    case.save(update_fields=["notices", "updated_at"])
    deltas = CaseDeltas()
    deltas.add(before, -1)
    deltas.add(_fact(case))
    deltas.apply(case.center_id)
    event_record(
        actor=actor,
        action="case.notice",
        target=case,
        after={"notices": case.notices, "materials": materials[:200]},
    )
    return notice


def case_filter(rows, *, state: str = "", q: str = ""):
    """Narrow a case list: open, past the deadline, or with a broken notice."""
    today = timezone.localdate()
    if state == "open":
        rows = rows.filter(completed_at__isnull=True)
    elif state == "overdue":
        rows = rows.filter(completed_at__isnull=True, deadline__lt=today)
    elif state == "breach":
        rows = rows.filter(notices__gte=2)
    q = q.strip()
    if q:
        rows = rows.filter(Q(case_no__icontains=q) | Q(item_name__icontains=q))
    return rows
