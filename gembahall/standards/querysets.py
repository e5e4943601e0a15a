"""Reads of standards, each narrowed through visible_to(person): a standard
is read by everyone working in its center, its versions, reference photos and
acknowledgements with it."""

from gembahall.org.querysets import CenterWideQuerySet, ThroughQuerySet


class StandardQuerySet(CenterWideQuerySet):
    def published(self):
        return self.filter(current__isnull=False)


class StandardVersionQuerySet(ThroughQuerySet):
    parent = "standard"


class ReferencePhotoQuerySet(ThroughQuerySet):
    parent = "version"


class AcknowledgementQuerySet(ThroughQuerySet):
    parent = "version"
