"""The layers of the product point one way: a module imports its own layer and
the layers below, never one above, and a model relation names only models of
its own layer or below. Deferred imports (inside a function) count the same."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gembahall"

# Lowest first. Sources may import one another; starting a center composes
# the sources' loaders; demo builders (which start their center that way) and
# the API are the top, and nothing below them imports them.
LAYERS = {
    "core": 0,
    "org": 0,
    "accounts": 0,
    "standards": 1,
    "rectification": 2,
    "inspections": 3,
    "ratings": 3,
    "casework": 3,
    "resources": 3,
    "program": 3,
    "reports": 4,
    "setup": 5,
    "demo": 6,
    "api": 7,
}
LAYER_NAMES = {
    0: "base",
    1: "standards",
    2: "rectification",
    3: "sources",
    4: "reports",
    5: "setup",
    6: "demo",
    7: "api",
}
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
# Parts of the tree the layers do not govern.
OUT_OF_SCOPE = {"migrations", "management"}


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "gembahall" or len(parts) < 2:
        return None
    return parts[1]


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name a `from … import` reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str, is_package: bool, tree: ast.AST):
    """(line, imported module, local names it binds) for every import,
    at module level or inside a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                yield node.lineno, alias.name, {local: alias.name}
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, is_package, node)
            for alias in node.names:
                target = source
                # `from gembahall import inspections` imports the app itself.
                if source == "gembahall" or _app_of(source) is None:
                    target = f"{source}.{alias.name}"
                yield node.lineno, target, {alias.asname or alias.name: target}


def _relation_target(call: ast.Call, names: dict[str, str]) -> tuple[str, str] | None:
    """(app label, shown target) of a model relation, or None when it names
    no model of the product."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in RELATIONS:
        return None
    target = call.args[0] if call.args else None
    for keyword in call.keywords:
        if keyword.arg == "to":
            target = keyword.value
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        if "." not in target.value:
            return None  # "self" or a model of the same app
        label, model = target.value.split(".", 1)
        return label, f"{label}.{model}"
    if isinstance(target, ast.Attribute | ast.Name):
        head = target
        while isinstance(head, ast.Attribute):
            head = head.value
        if not isinstance(head, ast.Name) or head.id not in names:
            return None
        app = _app_of(names[head.id])
        if app is None:
            return None
        return app, f"{names[head.id]}:{ast.unparse(target)}"
    return None


def violations(module: str, source: str, path: str, is_package: bool = False):
    """Every import or model relation of one module that reaches a layer above
    its own, as 'file:line: rule' messages with the target for the known list."""
    own = _app_of(module)
    if own not in LAYERS:
        return []
    level = LAYERS[own]
    tree = ast.parse(source)
    found = []
    names: dict[str, str] = {}
    seen = set()
    for line, target, bound in _imports(module, is_package, tree):
        names.update(bound)
        app = _app_of(target)
        if app in LAYERS and LAYERS[app] > level and (line, target) not in seen:
            seen.add((line, target))
            found.append(
                (
                    target,
                    f"{path}:{line}: {own} ({LAYER_NAMES[level]} layer) imports "
                    f"{target} ({LAYER_NAMES[LAYERS[app]]} layer, above it)",
                )
            )
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        relation = _relation_target(node, names)
        if relation is None:
            continue
        app, shown = relation
        if app in LAYERS and LAYERS[app] > level:
            found.append(
                (
                    shown,
                    f"{path}:{node.lineno}: a model of {own} "
                    f"({LAYER_NAMES[level]} layer) relates to {shown} "
                    f"({LAYER_NAMES[LAYERS[app]]} layer, above it)",
                )
            )
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if OUT_OF_SCOPE & set(relative.parts):
            continue
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        yield ".".join(parts), path, relative.as_posix(), is_package


def test_no_module_reaches_a_layer_above_its_own():
    broken = []
    checked = 0
    for module, path, shown, is_package in _modules():
        checked += 1
        found = violations(module, path.read_text(), shown, is_package)
        broken.extend(message for _target, message in found)
    assert checked > 100, "the walk found the product's modules"
    assert not broken, "Layers broken:\n" + "\n".join(broken)


PLANTED = """
from django.db import models

from gembahall.core.models import Notification
from gembahall.reports import kpis
from ..inspections.models import Inspection
import gembahall.casework.rollups


class Planted(models.Model):
    note = models.ForeignKey(Notification, on_delete=models.CASCADE)
    result = models.ForeignKey("inspections.ItemResult", on_delete=models.CASCADE)
    visit = models.OneToOneField(Inspection, on_delete=models.CASCADE)
    cases = models.ManyToManyField(to="casework.Case")
    same = models.ForeignKey("self", on_delete=models.CASCADE)


def later():
    from gembahall.api.api import api
    from ..demo import build_demo

    return api, build_demo
"""


def test_the_checker_catches_planted_violations():
    found = violations(
        "gembahall.standards.planted", PLANTED, "gembahall/standards/planted.py"
    )
    messages = [message for _target, message in found]
    for expected in [
        ":5: standards (standards layer) imports gembahall.reports (reports layer",
        ":6: standards (standards layer) imports gembahall.inspections.models",
        ":7: standards (standards layer) imports gembahall.casework.rollups",
        ":12: a model of standards (standards layer) relates to "
        "inspections.ItemResult (sources layer",
        ":13: a model of standards (standards layer) relates to "
        "gembahall.inspections.models:Inspection",
        ":14: a model of standards (standards layer) relates to casework.Case",
        ":19: standards (standards layer) imports gembahall.api.api (api layer",
        ":20: standards (standards layer) imports gembahall.demo (demo layer",
    ]:
        assert any(expected in message for message in messages), expected
    # Its own layer and the base below it are allowed, as is a relation to itself.
    assert not any("core" in message for message in messages)
    assert not any(":15:" in message for message in messages)
    assert len(found) == 8
    # The base may import nothing above it, and a source may import a source.
    assert violations(
        "gembahall.org.planted", "from gembahall.standards import models\n", "x.py"
    )
    assert not violations(
        "gembahall.ratings.planted",
        "from gembahall.casework.models import Case\n",
        "x.py",
    )
