"""The one small hall the tests share; each app's tests add what they need.

`hall` (registered in tests/conftest.py) is a center with a department, two
windows in it and the people most tests sign in as. An app's conftest extends
it by asking for `hall` and adding to it:

    @pytest.fixture
    def hall(hall):
        hall.checklist = f.checklist(hall.center, n=5)
        return hall
"""

from types import SimpleNamespace

from tests import factories as f


class Hall(SimpleNamespace):
    """Read as `hall.a01` or `hall["a01"]`."""

    def __getitem__(self, key):
        return getattr(self, key)

    def __setitem__(self, key, value):
        setattr(self, key, value)

    def add(self, key, role=None, *, unit=None, member_of=None, username=None):
        """A person of the hall under `key`, in `member_of` (else `unit`),
        holding `role` at `unit` (or center-wide without a unit)."""
        person = f.person(self.center, member_of or unit, username=username or key)
        if role:
            f.grant(person, role, unit=unit)
        self[key] = person
        return person

    def head_of(self, unit, key, *, username=None):
        """`key` becomes the window head who answers for `unit`."""
        head = self.add(key, "window_head", unit=unit, username=username)
        unit.head = head
        unit.save()
        return head


def hall_build(*, center_name="示范中心", code="hall") -> Hall:
    c = f.center(center_name, code=code)
    dept = f.department(c, "市场监管局")
    a01 = f.unit(c, name="市场监管窗口", code="A01", dept=dept)
    a02 = f.unit(c, name="税务窗口", code="A02", dept=dept)
    hall = Hall(center=c, dept=dept, a01=a01, a02=a02, w1=a01, w2=a02, window=a01)
    hall.add("director", "director", username="hall-director")
    hall.add("inspector", "inspector", username="hall-inspector")
    hall.head_of(a01, "head", username="hall-head")
    hall.add("clerk", "staff", unit=a01, username="hall-clerk")
    return hall
