"""Forms of the core pages: the audit filter and a calendar year."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .actions import action_choices
from .models import CalendarDay, Event

# The actor filter's value for events no person caused.
SYSTEM = "system"

# Django's own label for an empty choice, which its zh-hans catalogue lacks.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


class AuditFilterForm(forms.Form):
    """What an auditor narrows the trail to: an action from the list, a
    person, a target, a result and a range of days."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    # User names are names, not words for a translator.
    actor = forms.ChoiceField(
        label=_("Person"),
        required=False,
        widget=forms.Select(attrs={"translate": "no"}),
    )
    target = forms.CharField(label=_("Target"), required=False)
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All"))] + Event.Result.choices,
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + action_choices()
        self.fields["actor"].choices = [("", _("Everyone")), (SYSTEM, _("system"))] + [
            (str(pk), f"{name}（{username}）") for pk, name, username in actors
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The period ends before it starts."))
        return data

    def filter(self, events):
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["actor"] == SYSTEM:
            events = events.filter(actor_id__isnull=True)
        elif data["actor"]:
            events = events.filter(actor_id=int(data["actor"]))
        if data["target"]:
            events = events.filter(target_repr__icontains=data["target"])
        if data["result"]:
            events = events.filter(result=data["result"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
        return events

    def described(self) -> dict:
        """The filters in force, as the export's own audit event keeps them."""
        return {
            name: str(value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


def parse_days(text: str, field_label: str) -> list[tuple[date, str]]:
    """One day per line: `2027-10-01 国庆节`."""
    days = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        raw, _sep, name = line.partition(" ")
        try:
            days.append((date.fromisoformat(raw), name.strip()))
        except ValueError:
            raise forms.ValidationError(
                _(
                    "%(field)s, line %(line)s: “%(value)s” is not a date like "
                    "2027-10-01."
                ),
                params={"field": field_label, "line": number, "value": raw},
            ) from None
    return days


class CalendarYearForm(forms.Form):
    holidays = forms.CharField(
        label=_("Public holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One day per line, e.g. “2027-10-01 国庆节”."),
    )
    workdays = forms.CharField(
        label=_("Adjusted working days (调休)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Weekend days worked in exchange, one per line."),
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        if not self.is_bound:
            days = CalendarDay.objects.filter(date__year=year)
            self.initial = {
                "holidays": "\n".join(
                    f"{d.date} {d.name}" for d in days if not d.is_workday
                ),
                "workdays": "\n".join(
                    f"{d.date} {d.name}" for d in days if d.is_workday
                ),
            }

    def clean_holidays(self):
        return parse_days(
            self.cleaned_data["holidays"], str(self.fields["holidays"].label)
        )

    def clean_workdays(self):
        return parse_days(
            self.cleaned_data["workdays"], str(self.fields["workdays"].label)
        )
