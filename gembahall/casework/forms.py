from django import forms
from django.utils.translation import gettext_lazy as _

from gembahall.core.imports import ImportFileField
from gembahall.org.models import Unit

from .models import FirstInquiry, ServiceItem, Source


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Records"), choices=Source.Kind.choices)
    source = forms.CharField(
        label=_("Source system"),
        max_length=60,
        required=False,
        help_text=_("Its saved column mapping is used; a new name starts a new one."),
    )
    file = ImportFileField(
        label=_("Export file (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls"}),
    )


class InquiryForm(forms.Form):
    question = forms.CharField(label=_("What was asked"), max_length=300)
    ending = forms.ChoiceField(
        label=_("How it ended"), choices=FirstInquiry.Ending.choices
    )
    window = forms.ModelChoiceField(
        label=_("Escorted to"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = Unit.objects.filter(
            center=center, kind__in=Unit.WINDOW_KINDS, valid_to__isnull=True
        ).order_by("code")


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the key is for"), max_length=60)
    source = forms.CharField(label=_("Source system"), max_length=60)
    kind = forms.ChoiceField(label=_("Records"), choices=Source.Kind.choices)


class CaseFilterForm(forms.Form):
    STATES = [
        ("", _("All cases")),
        ("open", _("In progress")),
        ("overdue", _("Past the deadline")),
        ("breach", _("Two or more 补正 notices")),
    ]
    state = forms.ChoiceField(label=_("Show"), choices=STATES, required=False)
    q = forms.CharField(label=_("Case number or item"), max_length=60, required=False)


class NoticeForm(forms.Form):
    materials = forms.CharField(
        label=_("Materials still missing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everything the citizen must bring, all at once (一次性告知)."),
    )


class AgentRequestForm(forms.Form):
    applicant = forms.CharField(label=_("Applicant (person or company)"), max_length=60)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9+\- ]{5,20}$",
        required=False,
        error_messages={"invalid": _("Enter a phone number of digits.")},
    )
    service_item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none()
    )
    note = forms.CharField(label=_("What is needed"), max_length=300, required=False)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_item"].queryset = ServiceItem.objects.filter(
            center=center, active=True, agent_service=True
        ).order_by("name")


class AgentStepForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
