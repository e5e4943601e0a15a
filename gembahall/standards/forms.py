"""Forms of the standards pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gembahall.org.models import RoleAssignment, Unit

from .models import Chapter, Domain, FiveS, Standard


class StandardForm(forms.ModelForm):
    five_s = forms.MultipleChoiceField(
        label=_("5S stages"),
        choices=FiveS.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("Unit kinds"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every kind of unit."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(r, label) for r, label in RoleAssignment.Role.choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for everyone."),
    )
    body = forms.CharField(
        label=_("What the standard requires"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    class Meta:
        model = Standard
        fields = [
            "code",
            "title",
            "domain",
            "chapter",
            "five_s",
            "unit_kinds",
            "units",
            "roles",
            "season_from",
            "season_to",
        ]
        widgets = {
            "season_from": forms.TextInput(attrs={"placeholder": "05-01"}),
            "season_to": forms.TextInput(attrs={"placeholder": "09-30"}),
        }

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.active().filter(center=center)
        self.fields["units"].required = False
        self.fields["units"].help_text = _("Leave empty for every unit.")
        self.fields["domain"].choices = Domain.choices
        self.fields["chapter"].choices = Chapter.choices
        if self.instance.pk:
            del self.fields["body"]
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        if bool(data.get("season_from")) != bool(data.get("season_to")):
            self.add_error("season_to", _("Give both ends of the season, or neither."))
        return data

    def meta(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("code", "body", "units"):
            data.pop(key, None)
        return data


class VersionForm(forms.Form):
    body = forms.CharField(
        label=_("What the standard requires"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    change_note = forms.CharField(
        label=_("What changed"), max_length=300, required=False
    )


class ReferencePhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Reference photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200)


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"),
        # A date input reads ISO dates only, whatever the page's language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    chapter = forms.ChoiceField(
        label=_("Chapter"),
        choices=[("", _("All chapters")), *Chapter.choices],
        required=False,
    )
    domain = forms.ChoiceField(
        label=_("Domain"),
        choices=[("", _("All domains")), *Domain.choices],
        required=False,
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Every state")), ("draft", _("With a draft to publish"))],
        required=False,
    )
