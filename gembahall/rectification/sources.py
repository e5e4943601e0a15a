"""Where the sources plug into the engine, so the engine never imports them.

A source (inspections, citizen ratings, …) registers in its AppConfig.ready():

- a state listener, told after a problem changes state, inside the
  transaction of the change (a rating's follow-up notes a fix on time);
- an origin, which names and links the record a problem of its source came
  from (the inspection a deduction was found at);
- follow-up records a PDCAA cycle's audit may rest on (a final inspection of
  the windows concerned).

Registering again under the same name replaces, so ready() may run twice
(tests) without doubling anything.
"""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Link:
    """A record of a source in words, with where it is shown."""

    label: str
    url: str


@dataclass(frozen=True)
class FollowUps:
    """Records of a source a cycle's audit may link: `choices(improvement)`
    lists (public id, label) pairs to pick from; `link(public_id)` names one,
    or None when it may not be linked (not final, or gone)."""

    choices: Callable[..., list[tuple[UUID, str]]]
    link: Callable[[UUID], Link | None]


StateListener = Callable[..., None]
Origin = Callable[..., Link | None]

_listeners: dict[str, StateListener] = {}
_origins: dict[str, Origin] = {}
_follow_ups: dict[str, FollowUps] = {}


def state_listener(name: str):
    """Register `listener(problem, before)`, called after every change of a
    problem's state with the state it left."""

    def decorator(listener: StateListener) -> StateListener:
        _listeners[name] = listener
        return listener

    return decorator


def state_changed(problem, before: str) -> None:
    for listener in _listeners.values():
        listener(problem, before)


def origin_register(source: str, origin: Origin) -> None:
    """`origin(problem)` names and links the record a problem of `source`
    came from, or None when it has none."""
    _origins[source] = origin


def origin_of(problem) -> Link | None:
    origin = _origins.get(problem.source)
    return origin(problem) if origin else None


def follow_ups_register(source: str, follow_ups: FollowUps) -> None:
    _follow_ups[source] = follow_ups


def follow_up_choices(improvement) -> list[tuple[str, str]]:
    """Every record a cycle's audit may link, as ("source:public id", label)."""
    return [
        (f"{source}:{public_id}", label)
        for source, kind in _follow_ups.items()
        for public_id, label in kind.choices(improvement)
    ]


def follow_up_link(source: str, public_id) -> Link | None:
    kind = _follow_ups.get(source)
    return kind.link(public_id) if kind and public_id else None
