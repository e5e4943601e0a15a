"""Page helpers every app's views share: a form page that runs a service, and a
one-click action."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(request, form, apply, *, done: str, title: str, back=None):
    """Render a form; on a valid POST run `apply(cleaned_data)` (a service call
    returning the object to show next), or put the service's errors on the form.
    A form with file fields is sent as multipart."""
    if request.method == "POST" and form.is_valid():
        try:
            result = apply(form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(result)
    ctx = {
        "form": form,
        "title": title,
        "back": back,
        "multipart": form.is_multipart(),
    }
    return render(request, "form_page.html", ctx)


def run_action(request, apply, *, done: str, then, form=None):
    """Run a one-click action, or a small inline form's, and go back to `then`;
    problems are shown as messages there."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(then)
    try:
        apply()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(then)
