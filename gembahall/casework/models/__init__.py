"""The windows' real service: the catalogue of service items (事项), queue
tickets (取号), cases (办件), one-time notices, first inquiries and agent
service — and the rollup tables the KPIs read. One module per concept."""

from .agent import AgentRequest, AgentStep
from .cases import Case
from .catalogue import FirstInquiry, Notice, ServiceItem
from .queue import ApiToken, Source, Ticket, TicketEvent
from .stats import CaseStat, DayStat, HourStat

__all__ = [
    "ServiceItem",
    "Notice",
    "FirstInquiry",
    "Source",
    "Ticket",
    "ApiToken",
    "TicketEvent",
    "Case",
    "AgentRequest",
    "AgentStep",
    "DayStat",
    "HourStat",
    "CaseStat",
]
