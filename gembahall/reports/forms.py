from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodsForm(forms.Form):
    baseline_start = forms.DateField(
        label=_("Baseline from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    baseline_end = forms.DateField(
        label=_("Baseline to"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comparison_start = forms.DateField(
        label=_("Comparison from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comparison_end = forms.DateField(
        label=_("Comparison to"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        for name in ("baseline", "comparison"):
            start, end = data.get(f"{name}_start"), data.get(f"{name}_end")
            if start and end and end < start:
                self.add_error(f"{name}_end", _("The period ends before it starts."))
            if start and end and (end - start).days > 730:
                self.add_error(f"{name}_end", _("A period is at most two years."))
        return data


def default_periods(center, today) -> dict:
    """Ninety days before the OSM rollout against the last ninety days."""
    yesterday = today - timedelta(days=1)
    comparison_start = yesterday - timedelta(days=89)
    rollout = center.osm_rollout
    if rollout and rollout <= yesterday:
        comparison_start = max(rollout, comparison_start)
        baseline_end = rollout - timedelta(days=1)
    else:
        baseline_end = comparison_start - timedelta(days=1)
    return {
        "baseline_start": baseline_end - timedelta(days=89),
        "baseline_end": baseline_end,
        "comparison_start": comparison_start,
        "comparison_end": yesterday,
    }
