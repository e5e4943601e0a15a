"""The file field of every import page: the file's size and, for an Excel
workbook, its expanded size checked as it arrives, before it is stored or
parsed."""

from django import forms

from .read import file_check
from .report import FileRejected


class ImportFileField(forms.FileField):
    """A spreadsheet upload held to the import kit's limits (file_check); a
    refused file is neither kept nor read."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                file_check(upload.file, upload.size)
            except FileRejected as error:
                raise forms.ValidationError(str(error)) from None
        return upload
