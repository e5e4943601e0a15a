import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from gembahall.rectification.forms import PhotosField

from .models import FollowUp, Rating
from .services import REASONS

LEVELS = [(level.value, level.label) for level in Rating.Level]


class RateForm(forms.Form):
    """The citizen's form: plain HTML, no script needed."""

    level = forms.TypedChoiceField(
        label=_("How satisfied are you overall?"),
        choices=LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    efficiency = forms.TypedChoiceField(
        label=_("Service efficiency (服务效率)"),
        choices=LEVELS,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    quality = forms.TypedChoiceField(
        label=_("Service level (服务水平)"),
        choices=LEVELS,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    attitude = forms.TypedChoiceField(
        label=_("Service attitude (服务态度)"),
        choices=LEVELS,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("What went wrong? (needed for a low rating)"),
        choices=list(REASONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label=_("Your mobile number, if you want a call back"),
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CallbackForm(forms.Form):
    note = forms.CharField(
        label=_("What the citizen said on the call"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this rating is malicious"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppealRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the appeal is rejected"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the rating is unfair"),
        help_text=_("What happened at the window, and what shows it."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(
        label=_("Evidence photos"),
        required=False,
        help_text=_("Screenshots of the queue record, photos of the window."),
    )


class AppealDecideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the appeal is so decided"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VisitForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How the return visit went"),
        choices=FollowUp.VisitOutcome.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What the citizen said about the fix"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublicIdsField(forms.MultipleChoiceField):
    """Any number of public ids; which of them may be acted on is for the
    view's scoped read to say."""

    def valid_value(self, value) -> bool:
        try:
            uuid.UUID(str(value))
        except ValueError:
            return False
        return True


class HeldReviewForm(forms.Form):
    """The OSM office's decision on the held ratings ticked on the page."""

    ratings = PublicIdsField(
        label=_("ratings"),
        error_messages={"required": _("Tick at least one rating.")},
    )
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("keep", _("Keep")), ("discard", _("Discard"))],
        error_messages={"required": _("Choose keep or discard.")},
    )
