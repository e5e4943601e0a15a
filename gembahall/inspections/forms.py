"""Forms of the inspection pages; they parse input, the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gembahall.org.models import Person, Unit
from gembahall.standards.models import Standard

from .models import Checklist, ChecklistItem, Inspection, InspectionPlan, ItemResult


def published_checklists(center):
    return Checklist.objects.filter(
        center=center, state=Checklist.State.PUBLISHED
    ).order_by("code", "-number")


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(choices=ItemResult.Outcome.choices)
    occurrences = forms.IntegerField(min_value=0, max_value=99, required=False)
    note = forms.CharField(max_length=500, required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))


class StartForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    checklist = forms.ModelChoiceField(
        label=_("Checklist"), queryset=Checklist.objects.none()
    )

    def __init__(self, *args, center, kind: str, own_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().filter(center=center)
        if kind == Inspection.Kind.SELF:
            units = units.filter(pk=own_unit.pk if own_unit else None)
        elif kind == Inspection.Kind.CROSS:
            units = units.windows().exclude(pk=own_unit.pk if own_unit else None)
        self.fields["unit"].queryset = units.order_by("kind", "code", "name")
        self.fields["checklist"].queryset = published_checklists(center)
        if kind == Inspection.Kind.SELF and own_unit:
            self.fields["unit"].initial = own_unit.pk


class WitnessForm(forms.Form):
    witness = forms.ModelChoiceField(label=_("Witness"), queryset=Person.objects.none())

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = Person.objects.active().filter(
            unit=unit, user__isnull=False
        )


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PlanForm(forms.ModelForm):
    checklist_code = forms.ChoiceField(label=_("Checklist"))
    office_checklist_code = forms.ChoiceField(
        label=_("Checklist for leadership and offices"), required=False
    )
    target_kinds = forms.MultipleChoiceField(
        label=_("Unit kinds"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A weekly round opens on the first day chosen (Monday if none); a "
            "round on given weekdays opens on each day chosen (Monday to Friday "
            "if none)."
        ),
    )

    class Meta:
        model = InspectionPlan
        fields = [
            "name",
            "cadence",
            "weekdays",
            "day_of_month",
            "window_days",
            "checklist_code",
            "office_checklist_code",
            "target_kinds",
            "units",
            "inspectors",
        ]
        help_texts = {
            "day_of_month": _("For a monthly assessment: 1 to 28."),
            "window_days": _(
                "A round not finished after these days is overdue, and the OSM "
                "office's head is told."
            ),
        }

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        latest = {}
        for checklist in published_checklists(center):
            latest.setdefault(checklist.code, checklist.title)
        codes = list(latest.items())
        self.fields["checklist_code"].choices = codes
        self.fields["office_checklist_code"].choices = [("", "—"), *codes]
        self.fields["units"].queryset = Unit.objects.active().filter(center=center)
        self.fields["units"].required = False
        self.fields["inspectors"].queryset = (
            Person.objects.active()
            .filter(
                center=center, roles__role="inspector", roles__valid_to__isnull=True
            )
            .distinct()
        )
        self.fields["inspectors"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("target_kinds") and not data.get("units"):
            self.add_error("target_kinds", _("Choose unit kinds or units to inspect."))
        return data


class RoundForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    starts_on = forms.DateField(
        label=_("Starts on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PeriodForm(forms.Form):
    round = forms.UUIDField(required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
    )

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            if not 1 <= month <= 12 or not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None
        return year, month


class ExportForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                self.add_error("end", _("The end comes before the start."))
            elif (data["end"] - data["start"]).days > 366:
                self.add_error("end", _("Export at most one year at a time."))
        return data


def standard_label(standard) -> str:
    if standard.season_from:
        return f"{standard} ({standard.season_from} – {standard.season_to})"
    return str(standard)


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = [
            "chapter",
            "section",
            "criterion",
            "standard",
            "max_points",
            "deduction",
            "cap",
            "method",
            "photo_required",
            "severity",
            "unit_kinds",
        ]

    unit_kinds = forms.MultipleChoiceField(
        label=_("Applies to unit kinds"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every unit the checklist inspects."),
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        standard = self.fields["standard"]
        standard.queryset = Standard.objects.filter(center=center)
        standard.label_from_instance = standard_label
        standard.help_text = _(
            "A seasonal standard (such as the dress code) means the standard of "
            "its chapter in season on the day of the inspection."
        )
        self.fields["cap"].required = False
        self.fields["cap"].help_text = _("At most the max points; empty means the max.")

    def clean(self):
        data = super().clean()
        if data.get("cap") is None and data.get("max_points") is not None:
            self.instance.cap = data["max_points"]
        return data
