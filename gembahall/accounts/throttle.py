"""Failed sign-ins counted by address: past a limit, failures answer 429.

Only failures are refused. A right username and password from a throttled
address still signs in, because the staff of a hall share one NAT address and
one person's typos (or a guesser on the same network) must not lock out the
rest; guessing any one account stays bounded by the per-account lockout.

The counts live in the cache (settings.CACHES): with the per-process memory
cache each server process counts on its own, so the limit holds per process.
"""

from django.conf import settings
from django.core.cache import cache

PREFIX = "sign-in-failures"


def _key(ip: str) -> str:
    return f"{PREFIX}:{ip}"


def failure_add(ip: str | None) -> int:
    """Count one failed sign-in from the address; the count within the
    window, which starts at the address's first failure."""
    if not ip:
        return 0
    key = _key(ip)
    window = int(settings.SIGN_IN_THROTTLE_WINDOW.total_seconds())
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def throttled(count: int) -> bool:
    return count > settings.SIGN_IN_THROTTLE_FAILURES
