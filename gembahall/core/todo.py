"""What waits on a person: one to-do list that every app feeds.

Each app registers a provider in its AppConfig.ready(); a provider answers,
for a person and a center, the items that wait on them — a kind, a label, a
count and a link to the filtered list — so the home page lists them without
knowing the apps. A provider reads its count in one query, or none when the
person may not act, so the list costs a fixed number of queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    kind: str
    label: str
    count: int
    url: str
    icon: str = "check2-square"
    # Part of the count already late (past its deadline); 0 when none is.
    late: int = 0


Provider = Callable[..., Iterable[Todo]]
_providers: dict[str, Provider] = {}


def todo_provider(kind: str):
    """Register a provider under a name; registering again replaces it, so an
    app's ready() may run twice (tests) without doubling its items."""

    def decorator(provider: Provider) -> Provider:
        _providers[kind] = provider
        return provider

    return decorator


def todos_for(person, center) -> list[Todo]:
    """Every item waiting on the person in the center, emptiest kinds left out."""
    if person is None or center is None:
        return []
    items: list[Todo] = []
    for provider in _providers.values():
        items.extend(item for item in provider(person, center) if item.count)
    return items
