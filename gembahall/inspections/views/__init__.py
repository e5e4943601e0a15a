from .perform import (
    answer,
    finalize,
    inspection,
    pass_remaining,
    photo_add,
    photo_remove,
    start,
    witness_confirm,
    witness_set,
)
from .plans import (
    checklist,
    checklist_draft,
    checklist_item_add,
    checklist_item_edit,
    checklist_item_remove,
    checklist_publish,
    checklists,
    index,
    plan,
    plan_create,
    plans,
    round_detail,
)
from .results import bulletin, export, ranking, unit_results

__all__ = [
    "answer", "bulletin", "checklist", "checklist_draft", "checklist_item_add",
    "checklist_item_edit", "checklist_item_remove", "checklist_publish",
    "checklists", "export", "finalize", "index",
    "inspection", "pass_remaining", "photo_add", "photo_remove", "plan",
    "plan_create", "plans", "ranking", "round_detail", "start", "unit_results",
    "witness_confirm", "witness_set",
]  # fmt: skip
