"""Forms of the org pages; they parse input, the services decide."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from gembahall.core.imports import ImportFileField

from .models import (
    CommitteeMembership,
    Department,
    Pairing,
    Person,
    RoleAssignment,
    Unit,
)


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["kind", "name", "code", "department", "zone", "head", "is_osm_office"]

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.active().filter(
            center=center
        )
        self.fields["zone"].queryset = Unit.objects.active().filter(
            center=center, kind=Unit.Kind.ZONE
        )
        self.fields["head"].queryset = Person.objects.active().filter(center=center)
        self.fields["code"].help_text = _("Shown on the window card, e.g. A01.")

    def clean(self):
        data = super().clean()
        if data.get("kind") in Unit.WINDOW_KINDS:
            if not data.get("code"):
                self.add_error("code", _("A window needs a window code."))
            if not data.get("department"):
                self.add_error(
                    "department", _("A window needs its stationed department.")
                )
        if data.get("is_osm_office") and data.get("kind") != Unit.Kind.OFFICE:
            self.add_error("is_osm_office", _("Only an office can be the OSM office."))
        return data


class UnitEndForm(forms.Form):
    merged_into = forms.ModelChoiceField(
        label=_("Merged into"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Its people move to this unit. Leave empty to end the unit only."),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = (
            Unit.objects.active().filter(center=unit.center).exclude(pk=unit.pk)
        )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "staff_number", "unit", "title", "is_leader", "phone"]

    def __init__(self, *args, center, **kwargs):
        """The number on file is never sent to the page (only its mask): the
        field starts empty, and left empty it keeps that number."""
        super().__init__(*args, **kwargs)
        self.instance.center = center
        self.fields["unit"].queryset = Unit.objects.active().filter(center=center)
        self.fields["phone"].max_length = 20
        self.kept_phone = ""
        if self.instance.phone:
            self.kept_phone = self.instance.phone
            self.initial["phone"] = ""
            self.fields["phone"].help_text = _(
                "On file: %(phone)s. Leave empty to keep it."
            ) % {"phone": self.instance.masked_phone}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].replace(" ", "").replace("-", "")
        if not phone and self.kept_phone:
            return self.kept_phone
        if phone and not (
            phone.isdigit() and len(phone) == 11 and phone.startswith("1")
        ):
            raise forms.ValidationError(
                _("A mobile number has 11 digits and starts with 1.")
            )
        return phone


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "At least 12 characters mixing three of: lower, upper, digits, symbols."
        ),
    )


class PasswordSetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "At least 12 characters mixing three of: lower, upper, digits, symbols."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=RoleAssignment.Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_(
            "Window roles are held at one unit; center roles leave this empty."
        ),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().filter(
            center=person.center
        )
        if not self.is_bound and person.unit_id:
            self.initial["unit"] = person.unit_id


class RosterUploadForm(forms.Form):
    file = ImportFileField(
        label=_("Roster file (.xlsx)"),
        help_text=_(
            "The first sheet is read, its first row being the headers; the "
            "columns are explained below."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel .xlsx file."))
        return upload


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit_kind = forms.ChoiceField(
        label=_("Unit kind"),
        required=False,
        choices=[("", _("All"))] + Unit.Kind.choices,
    )


def _active_seat():
    return CommitteeMembership.objects.active().filter(person=OuterRef("pk"))


class CommitteeJoinForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    position = forms.ChoiceField(
        label=_("Position"),
        choices=CommitteeMembership.Position.choices,
        initial=CommitteeMembership.Position.MEMBER,
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.active()
            .filter(center=center)
            .exclude(Exists(_active_seat()))
            .order_by("staff_number")
        )
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.unit or ''}）"
        )


class PairingForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Committee member"), queryset=Person.objects.none()
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        paired = Pairing.objects.active().filter(member=OuterRef("pk"), unit=unit)
        self.fields["member"].queryset = (
            Person.objects.active()
            .filter(Exists(_active_seat()), center=unit.center)
            .exclude(Exists(paired))
            .order_by("staff_number")
        )
