"""The links the engine no longer holds survive the migration both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gembahall.inspections.models import ItemResult
from gembahall.rectification import improvements as cycle
from gembahall.rectification.models import Improvement, Problem
from tests.inspections.test_views import finalized
from tests.inspections.test_views import hall as hall  # noqa: PLC0414

BEFORE = [("inspections", "0002_initial"), ("rectification", "0003_workflow")]
AFTER = [
    ("inspections", "0004_itemresult_problem_name"),
    ("rectification", "0004_sources_point_in"),
]


@pytest.mark.django_db(transaction=True)
def test_a_deductions_problem_and_a_cycles_inspection_carry_over(hall):
    inspection = finalized(hall, hall["w1"], deduct=2)
    problems = dict(
        ItemResult.objects.filter(problem__isnull=False).values_list("pk", "problem")
    )
    improvement = cycle.improvement_open(
        actor=hall["inspector"], center=hall["center"], title="t", goal="g"
    )
    Improvement.objects.filter(pk=improvement.pk).update(
        audit_source="inspection", audit_ref=inspection.public_id
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert (
        dict(
            old.get_model("rectification", "Problem")
            .objects.filter(item_result__isnull=False)
            .values_list("item_result_id", "pk")
        )
        == problems
    )
    audited = old.get_model("rectification", "Improvement").objects.get()
    assert audited.audit_inspection_id == inspection.pk
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    assert (
        len(problems) == 2
        and dict(
            ItemResult.objects.filter(problem__isnull=False).values_list(
                "pk", "problem"
            )
        )
        == problems
    )
    assert {p.item_result.inspection for p in Problem.objects.all()} == {inspection}
    improvement.refresh_from_db()
    assert improvement.audit_ref == inspection.public_id


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Leave the database at the latest migrations for the tests that follow
    on this worker."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
