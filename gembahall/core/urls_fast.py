"""Cheap URLs for records: reverse once per route, then fill in the public id.

List pages link every row; calling reverse() per row costs more than the rest
of the row's rendering.
"""

import uuid
from functools import cache

from django.urls import get_script_prefix, reverse

_PLACEHOLDER = uuid.UUID(int=0)


@cache
def _template(name: str, prefix: str) -> tuple[str, str]:
    url = reverse(name, args=[_PLACEHOLDER])
    head, _sep, tail = url.partition(str(_PLACEHOLDER))
    return head, tail


def record_url(name: str, public_id: uuid.UUID) -> str:
    """The URL of a route taking one UUID: record_url("org:unit_detail", id)."""
    head, tail = _template(name, get_script_prefix())
    return f"{head}{public_id}{tail}"
