"""The per-window evidence in words, as chart data and as a sheet: what the
figures support and what they do not."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .evidence import MIN_WINDOWS, RESAMPLES, Evidence, Link

LEVEL = "95%"
# The KPI as a noun inside a sentence.
NOUNS = {
    "wait_avg_min": gettext_lazy("average wait"),
    "handle_avg_min": gettext_lazy("average handling time"),
    "satisfaction": gettext_lazy("satisfaction rate"),
}


def _num(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def _change(value, kpi) -> str:
    if value is None:
        return "—"
    if kpi.unit == "pct":
        return _("%(value)s pt") % {"value": f"{value * 100:+.1f}"}
    return _("%(value)s min") % {"value": f"{value:+.2f}"}


def intro(evidence: Evidence) -> str:
    if not evidence.enough:
        return _(
            "Only %(n)s windows have OSM inspection scores and service records in "
            "both periods; the per-window evidence needs at least %(min)s, so no "
            "figures are shown."
        ) % {"n": evidence.windows, "min": MIN_WINDOWS}
    return _(
        "Each point on the charts is one window: the change in its mean OSM "
        "inspection score from the baseline to the comparison period, against the "
        "change in its service over the same periods. %(n)s windows have both."
    ) % {"n": evidence.windows}


def figures(link: Link) -> str:
    kpi = link.kpi
    return _(
        "%(kpi)s: Spearman's rank correlation ρ = %(rho)s (%(level)s interval "
        "%(low)s … %(high)s) over %(n)s windows; robust (Theil–Sen) line: "
        "%(slope)s per OSM point. The third of windows whose scores rose most "
        "(%(k)s windows) changed by %(top)s on average, the third whose scores "
        "rose least by %(bottom)s: a difference of %(did)s (%(level)s interval "
        "%(dlow)s … %(dhigh)s)."
    ) % {
        "kpi": kpi.label,
        "rho": _num(link.rho),
        "low": _num(link.rho_low),
        "high": _num(link.rho_high),
        "level": LEVEL,
        "n": link.windows,
        "slope": _change(link.slope, kpi),
        "k": link.third,
        "top": _change(link.top, kpi),
        "bottom": _change(link.bottom, kpi),
        "did": _change(link.did, kpi),
        "dlow": _change(link.did_low, kpi),
        "dhigh": _change(link.did_high, kpi),
    }


def reading(link: Link) -> str:
    noun = NOUNS[link.kpi.key]
    if link.direction > 0:
        return _(
            "The figures support a link: windows whose OSM scores rose more also "
            "improved their %(kpi)s more."
        ) % {"kpi": noun}
    if link.direction < 0:
        return _(
            "The figures show the opposite link: windows whose OSM scores rose "
            "more did worse on their %(kpi)s."
        ) % {"kpi": noun}
    return _(
        "The figures show no sure link with the %(kpi)s: the interval includes "
        "zero. That is not proof that there is none; more windows or longer "
        "periods may show one."
    ) % {"kpi": noun}


def caveat() -> str:
    return _(
        "What these figures do not show: an association across windows is not "
        "proof that the inspections caused the change. Windows whose scores rose "
        "may also have gained staff, lost workload or changed their business, and "
        "a common cause may move both. A link is called sure when its %(level)s "
        "interval excludes zero; the rank correlation and the Theil–Sen line are "
        "little moved by a few extreme windows. The intervals come from "
        "resampling the windows %(n)s times."
    ) % {"level": LEVEL, "n": f"{RESAMPLES:,}"}


def paragraphs(evidence: Evidence) -> list[str]:
    """The evidence in words, as the PDF prints it."""
    if not evidence.enough:
        return [intro(evidence)]
    out = [intro(evidence)]
    for link in evidence.links:
        out.append(f"{figures(link)} {reading(link)}")
    out.append(caveat())
    return out


def chart(link: Link) -> dict:
    """One scatter chart: the windows and the Theil–Sen line across them."""
    factor = 100 if link.kpi.unit == "pct" else 1
    pct = link.kpi.unit == "pct"
    unit = pgettext("unit", "pt") if pct else pgettext("unit", "min")
    points = [
        [round(x, 2), round(y * factor, 2), label]
        for x, y, label in zip(link.x, link.y, link.labels, strict=True)
    ]
    line = []
    if link.slope is not None and link.x:
        line = [
            [round(x, 2), round((link.intercept + link.slope * x) * factor, 2)]
            for x in (min(link.x), max(link.x))
        ]
    return {
        "points": points,
        "line": line,
        "x_name": _("OSM score change (points)"),
        "y_name": _("Change in %(kpi)s (%(unit)s)")
        % {"kpi": NOUNS[link.kpi.key], "unit": unit},
        "line_name": _("Theil–Sen line"),
    }


def sheet_rows(evidence: Evidence):
    """Every window's changes, one row per window and KPI, under a header."""
    yield [_("Window"), _("KPI"), _("OSM score change (points)"), _("KPI change")]
    for link in evidence.links:
        for x, y, label in zip(link.x, link.y, link.labels, strict=True):
            yield [label, str(link.kpi.label), round(x, 3), round(y, 4)]
    yield []
    for text in paragraphs(evidence):
        yield [text]
