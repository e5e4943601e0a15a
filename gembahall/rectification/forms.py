"""Forms of the rectification pages; they parse input, the services decide."""

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gembahall.core.text import local_day
from gembahall.org.models import Person, Unit
from gembahall.standards.models import Chapter, Domain, Standard

from .models import OWNER_STATES, Improvement, Problem
from .queries import reportable_units
from .sources import follow_up_choices

MAX_PHOTOS = 6
RECENT_PROBLEMS = 200


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once, from the camera or the phone's gallery."""

    def __init__(self, *, capture=False, **kwargs):
        attrs = {"multiple": True, "accept": "image/*"}
        if capture:
            attrs["capture"] = "environment"
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Upload at most %(n)d photos at once.") % {"n": MAX_PHOTOS}
            )
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ProblemFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("not_closed", _("Not closed")),
            ("overdue", _("Overdue")),
            ("to_fix", _("Waiting for a fix (open, in progress, returned)")),
        ]
        + Problem.State.choices,
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All"))] + Problem.Source.choices,
    )
    repeat = forms.BooleanField(label=_("Repeats only"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=60)

    def filter(self, problems, today):
        data = self.cleaned_data
        state = data.get("state")
        if state == "not_closed":
            problems = problems.not_closed()
        elif state == "overdue":
            problems = problems.overdue(today)
        elif state == "to_fix":
            problems = problems.filter(state__in=OWNER_STATES)
        elif state:
            problems = problems.filter(state=state)
        if data.get("source"):
            problems = problems.filter(source=data["source"])
        if data.get("repeat"):
            problems = problems.filter(repeat_of__isnull=False)
        if data.get("q"):
            problems = problems.filter(description__icontains=data["q"])
        return problems


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Window or place"), queryset=Unit.objects.none()
    )
    description = forms.CharField(
        label=_("What is wrong"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    photos = PhotosField(label=_("Photos"), capture=True)
    location = forms.CharField(label=_("Where exactly"), required=False, max_length=120)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Problem.Severity.choices, initial="general"
    )
    source = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Problem.Source.SPOT, _("spot finding")),
            (Problem.Source.SELF_REPORT, _("self-report of my window")),
        ],
        initial=Problem.Source.SPOT,
    )
    standard = forms.ModelChoiceField(
        label=_("Standard not met"), queryset=Standard.objects.none(), required=False
    )

    def __init__(self, *args, center, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reportable_units(person, center).order_by(
            "kind", "code"
        )
        self.fields["standard"].queryset = (
            Standard.objects.filter(center=center).published().order_by("code")
        )


class SubmitForm(forms.Form):
    photos = PhotosField(label=_("Photos of the fixed place"))
    cause = forms.CharField(
        label=_("Cause"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    action = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args, earlier=None, **kwargs):
        """`earlier` is the fix that was returned: its texts fill the form and
        its photos stay unless new ones are added."""
        super().__init__(*args, **kwargs)
        if earlier is not None:
            self.initial.setdefault("cause", earlier.cause)
            self.initial.setdefault("action", earlier.action)
            photos = self.fields["photos"]
            photos.required = False
            photos.help_text = _(
                "Leave empty to keep the photos sent with the returned fix."
            )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What is still wrong"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class DeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Why"), max_length=300)


class ImprovementForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    standard = forms.ModelChoiceField(
        label=_("Standard to improve"),
        queryset=Standard.objects.none(),
        required=False,
        help_text=_("Leave empty when the cycle will write a new standard."),
    )
    problems = forms.ModelMultipleChoiceField(
        label=_("Problems it comes from"),
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "data-search": ""}),
        help_text=_("Type a window code, a date or words of the problem to find it."),
    )
    item_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, center, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = Standard.objects.filter(
            center=center
        ).order_by("code")
        # The latest problems, and those of the recurring item the cycle is for.
        latest = (
            Problem.objects.filter(center=center)
            .order_by("-created_at")
            .values("pk")[:RECENT_PROBLEMS]
        )
        choices = Q(pk__in=latest)
        if item:
            choices |= Q(item_key=item)
        # The recurring item's problems lead the list, the newest first.
        matching = Case(When(item_key=item, then=0), default=1) if item else Value(1)
        self.fields["problems"].queryset = (
            Problem.objects.filter(choices, center=center)
            .select_related("unit")
            .order_by(matching, "-created_at")
        )
        self.fields["problems"].label_from_instance = lambda p: (
            f"{p.unit.code} · {local_day(p.created_at)} · {p}"
        )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        widget=forms.Select(attrs={"data-search": ""}),
    )
    due = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, improvement: Improvement, **kwargs):
        super().__init__(*args, **kwargs)
        # The people of the units the cycle's problems come from lead the list.
        units = improvement.problems.values("unit_id")
        self.fields["owner"].queryset = (
            Person.objects.active()
            .filter(center=improvement.center)
            .select_related("unit")
            .annotate(elsewhere=Case(When(unit_id__in=units, then=0), default=1))
            .order_by("elsewhere", "staff_number", "name")
        )
        self.fields["owner"].label_from_instance = person_label


def person_label(person: Person) -> str:
    """Name, unit and staff number: the picker finds a person by any of them."""
    unit = f" · {person.unit.code or person.unit.name}" if person.unit_id else ""
    return f"{person.name}{unit} · {person.staff_number}"


class TaskDoneForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    photos = PhotosField(label=_("Photos"), required=False)


class AdvanceForm(forms.Form):
    text = forms.CharField(
        label=_("Result of this step"), widget=forms.Textarea(attrs={"rows": 3})
    )
    inspection = forms.ChoiceField(label=_("Follow-up inspection"), required=False)

    def __init__(self, *args, improvement: Improvement, **kwargs):
        super().__init__(*args, **kwargs)
        # The records the sources offer for the audit (final inspections of
        # the units the cycle's problems came from, since the cycle began).
        self.fields["inspection"].choices = [("", "---------")] + (
            follow_up_choices(improvement)
            if improvement.stage == Improvement.Stage.AUDIT
            else []
        )

    def clean_inspection(self) -> tuple[str, str] | None:
        """The chosen record as (source, public id), or None."""
        value = self.cleaned_data["inspection"]
        if not value:
            return None
        source, public_id = value.split(":", 1)
        return source, public_id


class StandardizeForm(forms.Form):
    body = forms.CharField(
        label=_("Text of the standard"), widget=forms.Textarea(attrs={"rows": 8})
    )
    change_note = forms.CharField(
        label=_("What changed"), max_length=300, required=False
    )
    code = forms.CharField(
        label=_("Code of the new standard"), max_length=20, required=False
    )
    title = forms.CharField(
        label=_("Title of the new standard"), max_length=120, required=False
    )
    chapter = forms.ChoiceField(
        label=_("Chapter"), choices=Chapter.choices, required=False
    )
    domain = forms.ChoiceField(
        label=_("Domain"), choices=Domain.choices, required=False
    )

    def __init__(self, *args, improvement: Improvement, **kwargs):
        super().__init__(*args, **kwargs)
        if improvement.standard_id:
            for name in ("code", "title", "chapter", "domain"):
                del self.fields[name]
            version = improvement.standard.current
            if version is not None and not self.is_bound:
                self.initial["body"] = version.body

    def new_standard(self) -> dict | None:
        if "code" not in self.fields:
            return None
        data = self.cleaned_data
        errors = {
            name: _("Required for a new standard.")
            for name in ("code", "title", "chapter", "domain")
            if not data.get(name)
        }
        if errors:
            raise forms.ValidationError(errors)
        return {k: data[k] for k in ("code", "title", "chapter", "domain")}


class PracticeForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    description = forms.CharField(
        label=_("What the window does"), widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = PhotosField(label=_("Photos"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("decline", _("Decline"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class AdoptForm(forms.Form):
    note = forms.CharField(
        label=_("How the window applies it"), required=False, max_length=300
    )


class PromoteForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    chapter = forms.ChoiceField(label=_("Chapter"), choices=Chapter.choices)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
