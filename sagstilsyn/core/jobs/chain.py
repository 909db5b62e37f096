"""Core's own planlagte job: ``audit_chain_verify`` (Kontrol af revisionsspor), daily at 03:00.

It checks the municipality's hash chains of the revisionsspor and the adgangslog with
`audit_chain_verify` (ADR 0018). An intact chain is an OK run with the number of rows; a broken one
fails the run with its first finding, so `sagstilsyn jobs run-due` exits 1 and cron mails it. The page
Usædvanlig adgang shows the latest run when the chains are too long to check on the page.
"""

from __future__ import annotations

from datetime import time

from sagstilsyn.core.chain_check import AUDIT_CHAIN_JOB_NAME, audit_chain_verify
from sagstilsyn.core.jobs.registry import Job, JobContext, JobResult, Schedule
from sagstilsyn.core.numbers import count_text, number_text


class ChainBroken(Exception):
    """The chains of a municipality are broken (the run fails with this Danish message)."""


def _verify(context: JobContext) -> JobResult:
    check = audit_chain_verify(municipality_id=context.municipality.pk)
    if not check.ok:
        first = next(chain for chain in check.chains if not chain.ok)
        message = first.first.message if first.first is not None else ""
        raise ChainBroken(f"Kæderne er brudt: {number_text(check.count)} fund. {first.label}: {message}")
    rows = count_text(check.rows, "række", "rækker")
    return JobResult(count=check.rows, summary=f"Kæderne er intakte ({rows} kontrolleret)")


AUDIT_CHAIN_JOB = Job(
    name=AUDIT_CHAIN_JOB_NAME,
    title="Kontrol af revisionsspor",
    description="Revisionssporets og adgangsloggens hash-kæder genberegnes; et brud får kørslen til at "
    "fejle.",
    schedule=Schedule(at=time(3, 0)),
    run=_verify,
)
