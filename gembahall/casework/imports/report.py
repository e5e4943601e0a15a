"""What a records import found: the kit's report with the export's kind,
the profile and columns it used, what changed in the saved mapping, and the
staff numbers and business names it did not know."""

from dataclasses import dataclass, field

from gembahall.core.imports import Report


@dataclass
class ImportReport(Report):
    kind: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    unknown_staff: dict[str, int] = field(default_factory=dict)
    unknown_business: dict[str, int] = field(default_factory=dict)
    profile: str = ""
    saved_mapping: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "columns": self.columns,
            "profile": self.profile,
            "warnings": self.warnings,
            **super().as_dict(),
            "unknown_staff": self.unknown_staff,
            "unknown_business": self.unknown_business,
        }
