"""Forwarding audit events to the center's log server over syslog, when
`AUDIT_SYSLOG_ADDRESS` names one (off by default).

Each event goes out once its transaction has committed, as one line of JSON
with its chain hashes, so the log server holds a copy the application can
no longer reach: an event removed from the database later still shows
there. A log server that is down never fails the change that was audited.
"""

import json
import logging
import socket
from logging.handlers import SysLogHandler
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from .audit_chain import content

log = logging.getLogger(__name__)
forward_log = logging.getLogger("gembahall.audit.syslog")
forward_log.propagate = False
forward_log.setLevel(logging.INFO)
_handlers: dict[tuple[str, str], SysLogHandler] = {}


def _handler(address: str, facility: str) -> SysLogHandler:
    """One handler per address, made on first use and kept open."""
    key = (address, facility)
    if key not in _handlers:
        parts = urlsplit(address)
        if parts.scheme in ("udp", "tcp"):
            target: str | tuple[str, int] = (parts.hostname or "", parts.port or 514)
            kind = socket.SOCK_STREAM if parts.scheme == "tcp" else socket.SOCK_DGRAM
        else:
            target, kind = address, None
        handler = SysLogHandler(
            address=target,
            facility=SysLogHandler.facility_names[facility],
            socktype=kind,
        )
        handler.append_nul = False
        handler.setFormatter(logging.Formatter("gembahall-audit: %(message)s"))
        _handlers[key] = handler
    return _handlers[key]


def forward(events) -> None:
    """Send the events to syslog after the transaction commits."""
    address = settings.AUDIT_SYSLOG_ADDRESS
    if not address:
        return
    lines = [
        json.dumps(
            {"id": e.id, **content(e), "prev_hash": e.prev_hash, "hash": e.hash},
            ensure_ascii=False,
            sort_keys=True,
        )
        for e in events
    ]
    transaction.on_commit(
        lambda: _send(address, settings.AUDIT_SYSLOG_FACILITY, lines), robust=True
    )


def _send(address: str, facility: str, lines: list[str]) -> None:
    try:
        handler = _handler(address, facility)
    except OSError:
        log.exception("the audit log server at %s cannot be reached", address)
        return
    for line in lines:
        handler.handle(
            forward_log.makeRecord(
                forward_log.name, logging.INFO, __file__, 0, line, None, None
            )
        )
