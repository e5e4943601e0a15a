"""Importing cases (办件) from a case system's export."""

from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.imports import cell_text
from gembahall.core.workdays import add_working_days, working_days_between

from ..models import Case, ServiceItem, Ticket
from ..rollups import CASE_FACT_FIELDS, CaseDeltas, stored_case_fact
from .base import RecordImporter, code_key, raw_insert
from .fields import CASE_COLUMNS, CASE_OUTCOME_WORDS, BadDate
from .fields import parse_datetime as parse

UPDATED = (
    "item_name",
    "service_item",
    "department",
    "window",
    "accepted_at",
    "accepted_on",
    "promised_days",
    "deadline",
    "completed_at",
    "outcome",
    "ticket",
    "agent",
    "notices",
)


class CaseImporter(RecordImporter):
    kind = "cases"
    columns_spec = CASE_COLUMNS
    key_field = "case_no"

    def prepare(self):
        super().prepare()
        self.items = {
            name: (pk, department, promised)
            for pk, name, department, promised in ServiceItem.objects.filter(
                center=self.center
            ).values_list("pk", "name", "department_id", "promised_days")
        }
        self.outcomes = self.words(CASE_OUTCOME_WORDS)
        self.unknown_items, self.unknown_staff = Counter(), Counter()
        self.deltas = CaseDeltas()
        self.tz = timezone.get_current_timezone()

    def key(self, record):
        return record["case_no"]

    def preview(self, record) -> dict:
        """The case as it will be stored, in text."""
        completed = record["completed_at"]
        return {
            "case_no": record["case_no"],
            "item": record["item_name"],
            "window": self.window_labels.get(record["window_id"], ""),
            "accepted_at": record["accepted_at"].isoformat(" "),
            "deadline": record["deadline"].isoformat(),
            "completed_at": completed.isoformat(" ") if completed else "",
            "outcome": record["outcome"],
            "ticket_no": record["ticket_no"],
            "notices": record["notices"],
        }

    def read(self, number, cells):
        def cell(field):
            index = self.columns.get(field)
            return cells[index] if index is not None and index < len(cells) else None

        ok = True
        case_no = cell_text(cell("case_no"))
        if not case_no or len(case_no) > 40:
            self.error(number, "case_no", _("the case number is missing or too long"))
            ok = False
        times = {}
        for field in ("accepted_at", "completed_at", "deadline"):
            try:
                times[field] = parse(cell(field))
            except BadDate as bad:
                self.error(
                    number,
                    field,
                    _("not a date and time: “%(value)s”") % {"value": bad},
                )
                ok = False
        accepted = times.get("accepted_at")
        if ok and accepted is None:
            self.error(number, "accepted_at", _("the time accepted is missing"))
            ok = False
        completed = times.get("completed_at")
        if ok and completed is not None and completed < accepted:
            self.error(number, "completed_at", _("completed before it was accepted"))
            ok = False
        name = cell_text(cell("item"))[:120]
        item = self.items.get(name)
        deadline = times.get("deadline")
        if item is None:
            self.unknown_items[name] += 1
            if deadline is None and ok:
                self.error(
                    number,
                    "item",
                    _("no service item “%(value)s” in the catalogue, and no deadline")
                    % {"value": name},
                )
                ok = False
        word = cell_text(cell("outcome")).lower()
        outcome = self.outcomes.get(word) if word else ""
        if outcome is None:
            self.error(
                number, "outcome", _("unknown outcome “%(value)s”") % {"value": word}
            )
            ok = False
        elif not outcome and completed is not None:
            outcome = Case.Outcome.COMPLETED
        window_code = code_key(cell_text(cell("window")))
        window = self.windows.get(window_code) if window_code else (None, None)
        if window is None:
            self.error(
                number,
                "window",
                _("no window “%(value)s” in this center") % {"value": window_code},
            )
            ok = False
        notices_text = cell_text(cell("notices")) or "0"
        if not notices_text.isdigit():
            self.error(number, "notices", _("not a whole number"))
            ok = False
        if not ok:
            return None
        accepted_on = accepted.date()
        if item is not None:
            item_id, department_id, promised = item
        else:
            item_id, department_id = None, window[1]
            promised = max(0, working_days_between(accepted_on, deadline.date()).days)
        due = (
            deadline.date()
            if deadline
            else add_working_days(accepted_on, promised).date
        )
        agent_no = cell_text(cell("agent_no"))
        agent = self.staff.get(agent_no) if agent_no else None
        if agent_no and agent is None:
            self.unknown_staff[agent_no] += 1
        return {
            "number": number,
            "case_no": case_no,
            "item_name": name,
            "service_item_id": item_id,
            "department_id": department_id,
            "window_id": window[0],
            "accepted_at": accepted.replace(tzinfo=self.tz),
            "accepted_on": accepted_on,
            "promised_days": promised,
            "deadline": due,
            "completed_at": completed.replace(tzinfo=self.tz) if completed else None,
            "outcome": outcome,
            "ticket_no": cell_text(cell("ticket_no")),
            "agent_id": agent,
            "notices": int(notices_text),
        }

    def write(self, records):
        existing = {
            c.case_no: c
            for c in Case.objects.filter(
                center=self.center,
                source=self.source,
                case_no__in=[r["case_no"] for r in records],
            )
        }
        tickets = self._tickets(records)
        new, changed = [], []
        for record in records:
            record["ticket_id"] = tickets.get(
                (record["ticket_no"], record["accepted_on"])
            )
            case = existing.get(record["case_no"])
            if case is None:
                case = Case(
                    center=self.center, source=self.source, case_no=record["case_no"]
                )
                self._fill(case, record)
                new.append(case)
                self.deltas.add(self._fact(case))
                continue
            before = self._fact(case)
            snapshot = [getattr(case, _attname(f)) for f in UPDATED]
            self._fill(case, record)
            if snapshot == [getattr(case, _attname(f)) for f in UPDATED]:
                self.report.unchanged += 1
                continue
            self.deltas.add(before, -1)
            self.deltas.add(self._fact(case))
            changed.append(case)
        raw_insert(Case, new)
        if changed:
            Case.objects.bulk_update(changed, [*UPDATED, "updated_at"])
        self.report.created += len(new)
        self.report.updated += len(changed)

    def _tickets(self, records) -> dict:
        numbers = {r["ticket_no"] for r in records if r["ticket_no"]}
        if not numbers:
            return {}
        rows = Ticket.objects.filter(
            center=self.center,
            ticket_no__in=numbers,
            day__in={r["accepted_on"] for r in records},
        ).values_list("ticket_no", "day", "pk")
        return {(no, day): pk for no, day, pk in rows}

    def _fill(self, case: Case, record: dict) -> None:
        for field in UPDATED:
            attname = _attname(field)
            setattr(case, attname, record.get(attname, record.get(field)))
        case.updated_at = timezone.now()

    def _fact(self, case: Case):
        return stored_case_fact(
            {f: getattr(case, f) for f in CASE_FACT_FIELDS}, self.tz
        )

    def apply_rollups(self):
        self.deltas.apply(self.center.pk)

    def summarize(self):
        self.report.unknown_business = dict(self.unknown_items.most_common(200))
        self.report.unknown_staff = dict(self.unknown_staff.most_common(200))


FOREIGN_KEYS = {"service_item", "department", "window", "ticket", "agent"}


def _attname(field: str) -> str:
    return f"{field}_id" if field in FOREIGN_KEYS else field


def import_cases(**kwargs):
    return CaseImporter(**kwargs).run()
