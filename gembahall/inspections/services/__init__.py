"""Running inspections, one module per step: starting them (rounds and single
inspections), performing them (answers, photos, points) and finalizing them
(score, problems raised, witness)."""

from .answers import (
    can_perform,
    item_answer,
    item_photo_add,
    item_photo_remove,
    items_pass_remaining,
    repeat_keys,
)
from .finalize import (
    FINALIZE_RELATED,
    RESULT_FIELDS,
    finalize_blockers,
    inspection_finalize,
    waiting_for,
    witness_confirm,
    witness_set,
)
from .rounds import (
    TIER_OF_KIND,
    inspection_start,
    latest_checklist,
    plan_targets,
    round_start,
    tier_of,
)

__all__ = [
    "FINALIZE_RELATED",
    "RESULT_FIELDS",
    "TIER_OF_KIND",
    "can_perform",
    "finalize_blockers",
    "inspection_finalize",
    "inspection_start",
    "item_answer",
    "item_photo_add",
    "item_photo_remove",
    "items_pass_remaining",
    "latest_checklist",
    "plan_targets",
    "repeat_keys",
    "round_start",
    "tier_of",
    "waiting_for",
    "witness_confirm",
    "witness_set",
]
