"""Ticket events pushed by a queue system. Each event is kept once by its id;
the ticket is recomputed from all its events, so events arriving late, out
of order or twice give the same record and the same rollups."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.org.models import Person, Unit

from .models import ServiceItem, Source, Ticket, TicketEvent
from .rollups import TICKET_FACT_FIELDS, TicketDeltas, stored_ticket_fact

FINISH_STATUSES = {s for s in Ticket.Status.values if s}


def window_for_code(center, code: str):
    """The center's window with this code (any case), or a ValidationError
    naming the field; None for no code."""
    if not code:
        return None
    window = Unit.objects.filter(
        center=center, kind__in=Unit.WINDOW_KINDS, code__iexact=code
    ).first()
    if window is None:
        raise ValidationError(
            {"window": _("No window “%(code)s” in this center.") % {"code": code}}
        )
    return window


def ticket_event_record(
    *,
    source: Source,
    event_id: str,
    ticket_no: str,
    kind: str,
    at,
    window: str = "",
    staff_no: str = "",
    business: str = "",
    status: str = "",
) -> tuple[Ticket, bool]:
    """Record one event; returns the ticket and whether the event was new."""
    if kind not in TicketEvent.Kind.values:
        raise ValidationError({"kind": _("Unknown event kind.")})
    if status and (kind != TicketEvent.Kind.FINISHED or status not in FINISH_STATUSES):
        raise ValidationError({"status": _("A status goes with a finished event.")})
    center = source.center
    tz = timezone.get_current_timezone()
    at = at if timezone.is_aware(at) else at.replace(tzinfo=tz)
    day = at.astimezone(tz).date()
    unit = window_for_code(center, window)
    for attempt in range(2):
        try:
            return _record(
                source,
                event_id,
                ticket_no,
                kind,
                at,
                day,
                unit,
                staff_no,
                business,
                status,
                tz,
            )
        except IntegrityError:
            # Two first events of one ticket at once: the other made it.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _record(
    source, event_id, ticket_no, kind, at, day, unit, staff_no, business, status, tz
):
    center = source.center
    if TicketEvent.objects.filter(source=source, event_id=event_id).exists():
        ticket = TicketEvent.objects.get(source=source, event_id=event_id).ticket
        return ticket, False
    ticket = (
        Ticket.objects.select_for_update()
        .filter(center=center, source=source, ticket_no=ticket_no, day=day)
        .first()
    )
    deltas = TicketDeltas()
    if ticket is None:
        ticket = Ticket(
            center=center, source=source, ticket_no=ticket_no, day=day, taken_at=at
        )
    else:
        old = {f: getattr(ticket, f) for f in TICKET_FACT_FIELDS}
        deltas.add(stored_ticket_fact(old, tz), -1)
    if unit is not None:
        ticket.window_id, ticket.department_id = unit.pk, unit.department_id
    if staff_no:
        ticket.staff_no = staff_no[:30]
        ticket.staff_id = (
            Person.objects.filter(center=center, staff_number=staff_no)
            .values_list("pk", flat=True)
            .first()
        )
    if business:
        ticket.business = business[:120]
        ticket.service_item_id = (
            ServiceItem.objects.filter(center=center, name=business)
            .values_list("pk", flat=True)
            .first()
        )
    if ticket.pk is None:
        ticket.save()
    TicketEvent.objects.create(
        center=center,
        source=source,
        event_id=event_id,
        ticket=ticket,
        kind=kind,
        at=at,
    )
    _recompute(ticket, status)
    ticket.save()
    deltas.add(
        stored_ticket_fact({f: getattr(ticket, f) for f in TICKET_FACT_FIELDS}, tz)
    )
    deltas.apply(center.pk)
    return ticket, True


def _recompute(ticket: Ticket, status: str) -> None:
    """The ticket's times from all its events, whatever order they came in."""
    times: dict[str, list] = {k: [] for k in TicketEvent.Kind.values}
    for kind, at in ticket.events.values_list("kind", "at"):
        times[kind].append(at)
    everything = [t for ts in times.values() for t in ts]
    ticket.taken_at = min(times["taken"]) if times["taken"] else min(everything)
    ticket.called_at = min(times["called"]) if times["called"] else None
    ticket.started_at = min(times["started"]) if times["started"] else None
    ticket.finished_at = max(times["finished"]) if times["finished"] else None
    if status:
        ticket.status = status
    elif ticket.finished_at is not None and not ticket.status:
        ticket.status = Ticket.Status.SERVED
    elif ticket.finished_at is None:
        ticket.status = Ticket.Status.WAITING
