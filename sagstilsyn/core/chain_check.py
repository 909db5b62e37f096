"""Checking the hash chains of the revisionsspor and the adgangslog (ADR 0018): `audit_chain_verify`.

Walks each chain (one per table and municipality) in its order (`seq`), recomputes every row's hash and
compares each row's `prev_hash` with its predecessor's hash and its chain head. It finds:

- an altered row: its content (or its hash) no longer gives its hash;
- deleted rows: a gap in the chain's numbers, a `prev_hash` that is not the predecessor's hash, or a
  head that is further on than the last row;
- inserted rows: a number that occurs twice, or rows after the head.

The result names rows by database id and place in the chain, never their content. Used by
`sagstilsyn audit verify` and by the page Usædvanlig adgang; reads only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Q

from sagstilsyn.core.audit_chain import ACCESS, AUDIT, CHAINS, GENESIS, chain_key, row_hash
from sagstilsyn.core.models import (
    AccessLogEntry,
    AuditChainHead,
    AuditEvent,
    JobOutcome,
    JobRun,
    Municipality,
)

#: The daily job's name (`core.jobs.chain`), whose runs the page shows for long chains.
AUDIT_CHAIN_JOB_NAME = "audit_chain_verify"

BATCH = 5000
#: Findings kept per chain (all are counted).
KEEP = 50
ALTERED, DELETED, INSERTED = "altered", "deleted", "inserted"
KIND_LABELS = {ALTERED: "ændret", DELETED: "slettet", INSERTED: "indsat"}
MODELS: dict[str, type[AuditEvent] | type[AccessLogEntry]] = {AUDIT: AuditEvent, ACCESS: AccessLogEntry}
#: Every municipality (the command's default); None means the rows without a municipality.
EVERY = -1

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Finding:
    """One thing wrong in a chain: what (`kind`), where (row id and number) and a Danish sentence."""

    kind: str
    seq: int
    row_id: int | None
    message: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class ChainReport:
    """The check of one chain: how many rows it has and what was found (the first KEEP findings)."""

    table: str
    municipality_id: int | None
    label: str
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.count == 0

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def add(self, kind: str, seq: int, row_id: int | None, message: str) -> None:
        self.count += 1
        if len(self.findings) < KEEP:
            self.findings.append(Finding(kind, seq, row_id, message))


@dataclass
class ChainCheck:
    """The check of every chain asked for."""

    chains: list[ChainReport]

    @property
    def ok(self) -> bool:
        return all(chain.ok for chain in self.chains)

    @property
    def rows(self) -> int:
        return sum(chain.rows for chain in self.chains)

    @property
    def count(self) -> int:
        return sum(chain.count for chain in self.chains)


def _where(municipality_id: int | None) -> Q:
    return Q(municipality__isnull=True) if municipality_id is None else Q(municipality_id=municipality_id)


def _chains_of(municipality_id: int | None) -> list[tuple[str, int | None]]:
    """The (table, municipality) chains to check: those with a head or with rows."""
    found: set[tuple[str, int | None]] = set()
    for table, model in MODELS.items():
        if municipality_id != EVERY:
            found.add((table, municipality_id))
            continue
        found.update((table, m) for m in model.objects.values_list("municipality_id", flat=True).distinct())
        for key in AuditChainHead.objects.filter(key__startswith=f"{table}:").values_list("key", flat=True):
            tail = key.split(":", 1)[1]
            found.add((table, None if tail == "-" else int(tail)))
    return sorted(found, key=lambda c: (c[0] != AUDIT, -1 if c[1] is None else c[1]))


def _label(table: str, municipality_id: int | None, names: dict[int, str]) -> str:
    where = (
        "uden kommune"
        if municipality_id is None
        else names.get(municipality_id, f"kommune {municipality_id}")
    )
    return f"{CHAINS[table].label}, {where}"


def _rows(table: str, municipality_id: int | None) -> Iterator[dict[str, object]]:
    """The chain's rows in order (seq, then id), read in batches by key."""
    query = MODELS[table].objects.filter(_where(municipality_id))
    columns = ("id", "prev_hash", "hash", *CHAINS[table].fields)
    last: tuple[int, int] | None = None
    while True:
        page = query if last is None else query.filter(Q(seq__gt=last[0]) | Q(seq=last[0], id__gt=last[1]))
        batch = list(page.order_by("seq", "id").values(*columns)[:BATCH])
        yield from batch
        if len(batch) < BATCH:
            return
        last = (int(batch[-1]["seq"]), int(batch[-1]["id"]))


def _check_row(report: ChainReport, row: dict[str, object], prev_seq: int, prev_hash: str) -> bool:
    """Check one row against its predecessor; False when it is a second row with the same number."""
    seq, row_id = int(row["seq"]), int(row["id"])  # type: ignore[call-overload]
    if seq == prev_seq:
        report.add(
            INSERTED, seq, row_id, f"Række {row_id} har samme nr. {seq} i kæden som rækken før: indsat."
        )
        return False
    if seq > prev_seq + 1:
        missing = f"nr. {prev_seq + 1}" if seq == prev_seq + 2 else f"nr. {prev_seq + 1}–{seq - 1}"
        report.add(
            DELETED, prev_seq + 1, row_id, f"Kædens række {missing} mangler før række {row_id}: slettet."
        )
    elif row["prev_hash"] != prev_hash:
        report.add(
            DELETED,
            seq,
            row_id,
            f"Række {row_id} (nr. {seq}) peger ikke på den forrige rækkes hash: "
            "en række før den er slettet eller udskiftet.",
        )
    if row_hash(report.table, str(row["prev_hash"]), row) != row["hash"]:
        report.add(
            ALTERED,
            seq,
            row_id,
            f"Række {row_id} (nr. {seq}) er ændret: dens indhold passer ikke med dens hash.",
        )
    return True


def _check_head(report: ChainReport, head: tuple[int, str] | None, last_seq: int, last_hash: str) -> None:
    if head is None:
        if last_seq:
            report.add(INSERTED, 1, None, "Kæden har intet hoved: dens rækker er skrevet uden om Sagstilsyn.")
        return
    head_seq, head_hash = head
    if head_seq > last_seq:
        missing = f"nr. {head_seq}" if head_seq == last_seq + 1 else f"nr. {last_seq + 1}–{head_seq}"
        report.add(DELETED, last_seq + 1, None, f"Kædens sidste række(r), {missing}, mangler: slettet.")
    elif head_seq < last_seq:
        report.add(
            INSERTED,
            head_seq + 1,
            None,
            f"Kæden har rækker efter sit hoved (nr. {head_seq + 1}–{last_seq}): indsat.",
        )
    elif head_hash != last_hash:
        report.add(
            ALTERED,
            last_seq,
            None,
            f"Kædens sidste række (nr. {last_seq}) passer ikke med kædens hoved: ændret.",
        )


def _walk(report: ChainReport, head: tuple[int, str] | None, tick: Callable[[], None]) -> None:
    prev_seq, prev_hash = 0, GENESIS
    for row in _rows(report.table, report.municipality_id):
        report.rows += 1
        tick()
        if _check_row(report, row, prev_seq, prev_hash):
            prev_seq, prev_hash = int(row["seq"]), str(row["hash"])  # type: ignore[call-overload]
    _check_head(report, head, prev_seq, prev_hash)


def audit_chain_rows(*, municipality_id: int | None) -> int:
    """How many rows the municipality's chains hold (what checking them would read)."""
    return sum(MODELS[table].objects.filter(_where(municipality_id)).count() for table in MODELS)


def audit_chain_last_run(*, municipality_id: int) -> JobRun | None:
    """The latest finished run of the daily check (``audit_chain_verify``) for the municipality."""
    return (
        JobRun.objects.filter(job=AUDIT_CHAIN_JOB_NAME, municipality_id=municipality_id)
        .exclude(outcome=JobOutcome.RUNNING)
        .order_by("-started_at", "-id")
        .first()
    )


def audit_chain_verify(
    *, municipality_id: int | None = EVERY, progress: Progress | None = None
) -> ChainCheck:
    """Check the chains of one municipality (None: the rows without one), or of all (EVERY)."""
    chains = _chains_of(municipality_id)
    names = dict(Municipality.objects.values_list("id", "name"))
    heads = {key: (seq, last) for key, seq, last in AuditChainHead.objects.values_list("key", "seq", "hash")}
    total = sum(MODELS[table].objects.filter(_where(m)).count() for table, m in chains) if progress else 0
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % BATCH == 0:
            progress(done, total)

    reports = []
    for table, chain_municipality in chains:
        report = ChainReport(table, chain_municipality, _label(table, chain_municipality, names))
        _walk(report, heads.get(chain_key(table, chain_municipality)), tick)
        reports.append(report)
    if progress is not None:
        progress(done, total)
    return ChainCheck(reports)
