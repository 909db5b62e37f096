"""File import (indlæsning) of the organisation, staff and events files (data-contract.md §0, §0b, §1).

The public API, for the command line and the upload page:

    import_events_file(data=..., municipality=..., filename=..., source=..., dry_run=..., progress=...)
    import_organisation_file(data=..., filename=..., dry_run=..., progress=...)
    import_staff_file(data=..., filename=..., municipality=..., dry_run=..., deactivate_missing=..., ...)
    ImportRejected          raised when nothing was imported; `.errors` lists every bad row
    error_text(error)       'Række N, kolonne X, værdi V: hvad der er galt' (CPR masked)
    import_report_xlsx(errors, ...) -> bytes   the Danish error report (fejlrapport) as XLSX
"""

from sagstilsyn.cases.importing.errors import (
    NOTHING_IMPORTED,
    REPORT_HEADERS,
    ImportRejected,
    error_text,
    import_report_xlsx,
)
from sagstilsyn.cases.importing.services import (
    DEFAULT_SOURCE,
    OrganisationResult,
    import_events_file,
    import_organisation_file,
    import_staff_file,
)

__all__ = [
    "DEFAULT_SOURCE",
    "NOTHING_IMPORTED",
    "REPORT_HEADERS",
    "ImportRejected",
    "OrganisationResult",
    "error_text",
    "import_events_file",
    "import_organisation_file",
    "import_report_xlsx",
    "import_staff_file",
]
