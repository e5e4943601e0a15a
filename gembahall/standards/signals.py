"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent inside the publishing transaction with `version` and `actor`.
version_published = Signal()
