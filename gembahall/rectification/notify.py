"""Notifications live in core, where every app reaches them; this name stays
for the rectification modules that import it."""

from gembahall.core.notify import notify, notify_holders

__all__ = ["notify", "notify_holders"]
