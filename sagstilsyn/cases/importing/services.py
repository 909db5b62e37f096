"""Import services (indlæsning): parse a file, then record it through the existing services.

Both run in one transaction, all or nothing: a file with any bad row writes nothing and raises
ImportRejected naming every bad row. Both are idempotent. The command line and the upload page call
these two functions; `progress(done, total)` is called as the work proceeds, for a progress bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import transaction

from sagstilsyn.cases.importing.errors import ImportRejected
from sagstilsyn.cases.importing.event_rows import read_errors_with_validation
from sagstilsyn.cases.importing.events_file import parse_events
from sagstilsyn.cases.importing.organisation_file import UnitRow, parse_organisation
from sagstilsyn.cases.importing.staff_file import parse_staff
from sagstilsyn.cases.importing.table import read_table
from sagstilsyn.cases.models import CaseEvent
from sagstilsyn.cases.services.event_inputs import EventsRejected, EventsResult, RowError
from sagstilsyn.cases.services.events import events_record
from sagstilsyn.core.cpr import redact
from sagstilsyn.core.models import Municipality, Unit, User
from sagstilsyn.core.selectors import catalogue_get
from sagstilsyn.core.services.audit import audit_record
from sagstilsyn.core.services.organisation import OrganisationError, municipality_ensure, unit_ensure
from sagstilsyn.core.services.staff import StaffResult, staff_import, staff_rows_check
from sagstilsyn.core.text_hygiene import free_text_problem

#: The source name events are recorded under unless told otherwise. `event_id` is unique per source,
#: so every file from the same case system must use the same source name (not the file's name).
DEFAULT_SOURCE = "import"
SOURCE_MAX_LENGTH = CaseEvent._meta.get_field("source").max_length or 60

Progress = Callable[[int, int], None]


def import_events_file(
    *,
    data: bytes,
    municipality: Municipality,
    filename: str = "",
    source: str = DEFAULT_SOURCE,
    actor: User | None = None,
    actor_label: str | None = None,
    dry_run: bool = False,
    ignore_unknown_columns: bool = False,
    progress: Progress | None = None,
) -> EventsResult:
    """Import an events file (CSV or XLSX) into the municipality; ImportRejected if any row is bad.

    `progress(done, total)` counts 2 × the number of rows: reading the rows is the first half,
    recording them (events, cases, children, obligations) the second.
    """
    source = source.strip()
    if not source or len(source) > SOURCE_MAX_LENGTH:
        raise ImportRejected.file(f"Kildens navn skal være 1 til {SOURCE_MAX_LENGTH} tegn.")
    problem = free_text_problem(source)
    if problem is not None:
        raise ImportRejected.file(f"Kildens navn {problem}.")
    table = read_table(data, filename=filename)
    total = 2 * len(table.rows)
    parsed = parse_events(
        table,
        catalogue=catalogue_get(),
        ignore_unknown_columns=ignore_unknown_columns,
        progress=(lambda done, _rows: progress(done, total)) if progress else None,
    )
    if parsed.fatal:
        raise ImportRejected(parsed.errors)
    if parsed.errors:  # report the other problems too, without writing anything
        raise ImportRejected(
            read_errors_with_validation(
                municipality=municipality, inputs=parsed.inputs, read_errors=parsed.errors
            )
        )
    rows = len(table.rows)

    def recording(done: int, cases: int) -> None:
        if progress is not None and cases:
            progress(rows + (rows * done) // cases, total)

    with transaction.atomic():
        try:
            result = events_record(
                municipality=municipality,
                inputs=parsed.inputs,
                source=source,
                actor=actor,
                actor_label=actor_label,
                dry_run=dry_run,
                progress=recording,
            )
        except EventsRejected as rejected:
            raise ImportRejected(rejected.errors) from None
    if progress is not None:
        progress(total, total)
    return result


@dataclass
class OrganisationResult:
    """What an organisation import did (or, with dry_run, would do)."""

    rows: int = 0
    municipalities_created: int = 0
    municipalities_renamed: int = 0
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    dry_run: bool = False


def import_organisation_file(
    *,
    data: bytes,
    filename: str = "",
    municipality: Municipality | None = None,
    actor: User | None = None,
    dry_run: bool = False,
    ignore_unknown_columns: bool = False,
    progress: Progress | None = None,
) -> OrganisationResult:
    """Create or update the municipalities and units of an organisation file; all or nothing. With
    `municipality` (the upload page: the administrator's own) every row must be of it."""
    table = read_table(data, filename=filename)
    parsed = parse_organisation(table, ignore_unknown_columns=ignore_unknown_columns)
    if municipality is not None:
        parsed.errors.extend(
            RowError(
                row.row, "municipality", row.municipality, f"filen indlæses i kommune {municipality.code}"
            )
            for row in parsed.units
            if row.municipality != municipality.code
        )
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    result = OrganisationResult(rows=len(table.rows), dry_run=dry_run)
    with transaction.atomic():
        municipalities: dict[str, Municipality] = {}
        for done, row in enumerate(parsed.units, start=1):
            if row.municipality not in municipalities:
                municipalities[row.municipality] = _municipality(row, actor, result)
            _unit(municipalities[row.municipality], row, actor, result)
            if progress is not None:
                progress(done, len(parsed.units))
        audit_record(
            actor=actor,
            action="organisation.import",
            municipality=next(iter(municipalities.values())) if len(municipalities) == 1 else None,
            target_type="file",
            target_label=redact(filename)[:300],
            after=asdict(result),
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _municipality(row: UnitRow, actor: User | None, result: OrganisationResult) -> Municipality:
    existing = Municipality.objects.filter(code=row.municipality).first()
    if existing is None:
        result.municipalities_created += 1
    elif existing.name != row.municipality_name:
        result.municipalities_renamed += 1
    return municipality_ensure(code=row.municipality, name=row.municipality_name, actor=actor)


def _unit(municipality: Municipality, row: UnitRow, actor: User | None, result: OrganisationResult) -> None:
    existing = Unit.objects.filter(municipality=municipality, code=row.unit).select_related("centre").first()
    if existing is None:
        result.units_created += 1
    elif (existing.name, existing.kind, existing.centre.name if existing.centre else "") == (
        row.unit_name,
        row.kind,
        row.centre,
    ):
        result.units_unchanged += 1
    else:
        result.units_updated += 1
    try:
        unit_ensure(
            municipality=municipality,
            code=row.unit,
            name=row.unit_name,
            kind=row.kind,
            centre_name=row.centre,
            actor=actor,
        )
    except OrganisationError as error:
        raise ImportRejected([RowError(row.row, "kind", row.kind, str(error))]) from None


def import_staff_file(
    *,
    data: bytes,
    filename: str = "",
    municipality: Municipality | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    ignore_unknown_columns: bool = False,
    progress: Progress | None = None,
) -> StaffResult:
    """Create or update the staff and roles of a staff file (data-contract.md §0b); all or nothing.

    With `municipality` every row must be of it. With `deactivate_missing` the roles in the file's
    municipalities that the file does not name end, and people left without a role are deactivated.
    The import is audited as ``staff.import`` with its counts."""
    table = read_table(data, filename=filename)
    parsed = parse_staff(table, ignore_unknown_columns=ignore_unknown_columns)
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    municipalities, problems = staff_rows_check(parsed.rows, municipality=municipality)
    if problems:
        raise ImportRejected(RowError(*problem) for problem in problems)
    with transaction.atomic():
        try:
            result = staff_import(
                rows=parsed.rows,
                municipalities=municipalities,
                actor=actor,
                deactivate_missing=deactivate_missing,
                progress=progress,
            )
        except OrganisationError as error:
            raise ImportRejected.file(f"Filen kan ikke indlæses: {error}.") from None
        result.rows = len(table.rows)
        result.dry_run = dry_run
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="staff.import",
            municipality=next(iter(municipalities.values())) if len(municipalities) == 1 else None,
            target_type="file",
            target_label=redact(filename)[:300],
            after={**asdict(result), "deactivate_missing": deactivate_missing},
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
