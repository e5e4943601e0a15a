"""Forms of the checklist builder: a new checklist, its settings, a copy and
an Excel import. They parse input; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gembahall.core.imports import ImportFileField

from .builder import starter_choices
from .models import Checklist

STARTER = "starter:"


class ChecklistForm(forms.ModelForm):
    class Meta:
        model = Checklist
        fields = ["code", "title", "target", "total_points"]
        help_texts = {
            "total_points": _(
                "The items' points must add up to it before the checklist is "
                "published; leave it empty not to check."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"]
        else:
            self.fields["total_points"].initial = Decimal(100)
            self.fields["code"].help_text = _("Short and unique, e.g. W2.")


class ChecklistCopyForm(forms.Form):
    source = forms.ChoiceField(label=_("Copy from"))
    code = forms.CharField(label=_("Code of the copy"), max_length=20)
    title = forms.CharField(label=_("Title of the copy"), max_length=120)

    def __init__(self, *args, person, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {}
        visible = (
            Checklist.objects.visible_to(person)
            .filter(state=Checklist.State.PUBLISHED)
            .select_related("center")
            .order_by("center__name", "code", "-number")
        )
        theirs = []
        for checklist in visible:
            self.sources[str(checklist.public_id)] = checklist
            theirs.append(
                (str(checklist.public_id), f"{checklist.center.name} · {checklist}")
            )
        self.fields["source"].choices = [
            (
                str(_("Starter library")),
                [(STARTER + c, t) for c, t in starter_choices()],
            ),
            (str(_("Checklists of the centers you work in")), theirs),
        ]

    def clean(self):
        data = super().clean()
        source = data.pop("source", "")
        if source.startswith(STARTER):
            data["starter"] = source.removeprefix(STARTER)
        elif source:
            data["source"] = self.sources[source]
        return data


class ChecklistImportForm(forms.Form):
    file = ImportFileField(
        label=_("Checklist workbook (.xlsx)"),
        help_text=_(
            "A workbook exported from this checklist and edited: rows are matched "
            "to items by the 项目键 column; a row without a key is a new item."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the new version at once"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel .xlsx file."))
        return upload
