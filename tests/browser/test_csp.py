"""Every page keeps to its Content-Security-Policy in a real browser: no
inline script or style is refused, on any page a demo role opens, nor while
the widgets that draw or restyle themselves work — the charts and their
tooltips, the searchable pickers, the calendars, dragging a checklist's rows,
the htmx swaps of an inspection and of a unit's results."""

import pytest
from django.urls import reverse

from gembahall.demo import DEMO_PASSWORD
from gembahall.inspections import planning
from gembahall.inspections.models import Checklist, Round
from gembahall.org.models import Person, Unit
from gembahall.standards import services as standards
from gembahall.standards.models import Standard
from tests.browser.conftest import sign_in, wait_until
from tests.browser.test_inspections import HTMX_IDLE, answer
from tests.browser.test_pages_zh import PERSONA, SKIP, objects
from tests.routes_matrix import PRIVATE

pytestmark = pytest.mark.browser

# Every refusal is written to the console; the event names what was refused.
REPORT = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
"""


def watched(page_at, width=1280):
    """A page that gathers every refusal of the policy, across navigations."""
    page = page_at(width=width, height=900)
    page.violations = []
    page.add_init_script(REPORT)

    def listen(message):
        if "Content Security Policy" in message.text or "CSP" in message.text:
            page.violations.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    return page


def visit(page, url):
    response = page.goto(url)
    # What htmx loads into the page counts too (a job's progress keeps
    # polling, so the network is never idle).
    wait_until(page, HTMX_IDLE)
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    return response


SHOW_TIP = """(el) => {
  echarts.getInstanceByDom(el).dispatchAction(
    {type: "showTip", seriesIndex: 0, dataIndex: 1});
  return new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
}"""


def hover_chart(page, selector):
    """Points at a chart, and has echarts show a tooltip as a pointer would."""
    chart = page.locator(selector).first
    chart.scroll_into_view_if_needed()
    chart.hover()
    chart.evaluate(SHOW_TIP)


def test_no_page_breaks_the_policy(demo, page_at):
    kwargs_for = objects(demo)
    pages = {}
    for name, pattern in PRIVATE:
        if name in SKIP or name.startswith("api:"):
            continue
        kwargs = {k: kwargs_for[k] for k in pattern.pattern.converters}
        pages.setdefault(PERSONA.get(name, "director"), []).append(
            reverse(name, kwargs=kwargs)
        )
    for persona, urls in pages.items():
        page = watched(page_at)
        sign_in(page, persona, DEMO_PASSWORD)
        for url in urls:
            assert visit(page, url).status == 200, url
        assert page.violations == [], persona
    page = watched(page_at, width=390)
    window = Unit.objects.get(center=demo, code="A01")
    visit(page, reverse("rate:rate_window", kwargs={"window": window.public_id}))
    visit(page, "/accounts/login/")
    assert visit(page, "/no-such-page/").status == 404
    assert page.violations == []


def test_charts_pickers_calendars_and_drags_keep_to_the_policy(demo, page_at):
    inspector = Person.objects.get(user__username="inspector")
    published = Checklist.objects.filter(center=demo, state="published").first()
    draft = planning.checklist_draft(actor=inspector, checklist=published)
    version = standards.version_draft(
        actor=inspector, standard=Standard.objects.get(center=demo, code="S-6-01")
    )
    window = Unit.objects.get(center=demo, code="A01")

    page = watched(page_at)
    sign_in(page, "director", DEMO_PASSWORD)
    visit(page, reverse("reports:dashboard"))
    hover_chart(page, "#window-chart")
    hover_chart(page, "#wait-heatmap")
    page.locator("#month").click()
    assert page.locator(".flatpickr-calendar.open").count() == 1
    visit(page, reverse("reports:before_after"))
    hover_chart(page, "[data-chart=evidence]")
    visit(page, reverse("org:unit_detail", kwargs={"unit": window.public_id}))
    page.wait_for_selector("[data-testid=score-chart] svg")
    hover_chart(page, "[data-testid=score-chart]")
    visit(page, reverse("rectification:dashboard"))
    hover_chart(page, "#closure-chart")
    visit(page, reverse("standards:version_edit", args=[version.public_id]))
    page.locator("input[name=effective_from]").click()
    calendar = page.locator(".flatpickr-calendar.open")
    calendar.locator(".flatpickr-day:not(.flatpickr-disabled)").first.click()
    assert page.locator("input[name=effective_from]").input_value()
    assert page.violations == []

    page = watched(page_at)
    sign_in(page, "inspector", DEMO_PASSWORD)
    visit(page, reverse("rectification:improvement_create"))
    picker = page.locator("select[name=problems] + .ts-wrapper")
    picker.locator(".ts-control").click()
    picker.locator(".ts-dropdown .option").first.wait_for()
    page.keyboard.press("Enter")
    assert picker.locator(".item").count() == 1
    visit(page, draft.get_absolute_url())
    rows = page.locator("tbody[data-sortable] tr")
    first = rows.nth(0).inner_text()
    rows.nth(0).drag_to(rows.nth(2))
    assert page.locator("tbody[data-sortable] tr").nth(0).inner_text() != first
    inspection = Round.objects.get(center=demo, title="本月综合考核").inspections.get(
        unit__code="A02"
    )
    visit(page, inspection.get_absolute_url())
    answer(page, 30, "deduct")
    wait_until(page, HTMX_IDLE)
    assert page.violations == []
