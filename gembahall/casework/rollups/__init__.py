"""Casework's rollups, published: what the tables hold (`schema`), how a
ticket or a case turns into deltas (`deltas`), the one place their SQL is
written (`store`), and the reads the KPIs are made of (`read`). Other apps
use only the names exported here."""

from .deltas import (
    CASE_FACT_FIELDS,
    TICKET_FACT_FIELDS,
    CaseDeltas,
    CaseFact,
    TicketDeltas,
    TicketFact,
    stored_case_fact,
    stored_ticket_fact,
    ticket_fact,
)
from .histogram import histogram_merge, histogram_of
from .read import (
    case_sums,
    case_sums_by,
    hour_sums,
    open_window_days,
    ticket_rows,
    ticket_sums,
    ticket_sums_by_member,
    ticket_total,
)
from .schema import (
    CASE_COUNTERS,
    HOUR_COUNTERS,
    ITEM_NAME,
    ITEM_SERVICE,
    STAFF_NUMBER,
    STAFF_PERSON,
    STATUS_COUNTERS,
    TICKET_COUNTERS,
    TICKET_DIMENSIONS,
    Dimension,
    fact_keys,
    item_key,
    parse_item_key,
    parse_staff_key,
    staff_key,
)
from .store import rollup_upsert

__all__ = [
    "CASE_COUNTERS",
    "CASE_FACT_FIELDS",
    "HOUR_COUNTERS",
    "ITEM_NAME",
    "ITEM_SERVICE",
    "STAFF_NUMBER",
    "STAFF_PERSON",
    "STATUS_COUNTERS",
    "TICKET_COUNTERS",
    "TICKET_DIMENSIONS",
    "TICKET_FACT_FIELDS",
    "CaseDeltas",
    "CaseFact",
    "Dimension",
    "TicketDeltas",
    "TicketFact",
    "case_sums",
    "case_sums_by",
    "fact_keys",
    "histogram_merge",
    "histogram_of",
    "hour_sums",
    "item_key",
    "open_window_days",
    "parse_item_key",
    "parse_staff_key",
    "rollup_upsert",
    "staff_key",
    "stored_case_fact",
    "stored_ticket_fact",
    "ticket_fact",
    "ticket_rows",
    "ticket_sums",
    "ticket_sums_by_member",
    "ticket_total",
]
