"""The item edit form and the catalogue upload form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gembahall.core.imports import ImportFileField
from gembahall.org.models import Department

from ..models import ServiceItem
from .limits import materials_split


class ServiceItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(
        label=_("Item code (事项编码)"), max_length=40, required=False
    )
    category = forms.CharField(
        label=_("Item type (事项类型)"), max_length=30, required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none()
    )
    handling = forms.ChoiceField(
        label=_("Handling"), choices=ServiceItem.Handling.choices
    )
    statutory_days = forms.IntegerField(
        label=_("Statutory limit (working days)"), min_value=0, max_value=999
    )
    promised_days = forms.IntegerField(
        label=_("Promised limit (working days)"), min_value=0, max_value=999
    )
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One material a line; the one-time notice lists them in order."),
    )
    visits = forms.IntegerField(
        label=_("Visits to the hall (到办事现场次数)"),
        min_value=0,
        max_value=9,
        required=False,
    )
    fee = forms.BooleanField(label=_("Charged (收费)"), required=False)
    online_depth = forms.CharField(
        label=_("Online handling (网上办理深度)"), max_length=30, required=False
    )
    agent_service = forms.BooleanField(
        label=_("Agent service (代办) offered"), required=False
    )

    def __init__(self, *args, item: ServiceItem, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                **{f: getattr(item, f) for f in self.base_fields},
                "materials": "\n".join(item.materials),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            center=item.center, valid_to__isnull=True
        ).order_by("name")

    def clean_materials(self):
        return materials_split(self.cleaned_data["materials"])


class CatalogueUploadForm(forms.Form):
    file = ImportFileField(
        label=_("Catalogue export (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls"}),
    )
