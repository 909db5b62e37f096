"""`sagstilsyn rules …`: the catalogue on the command line, without Django or a database.

sagstilsyn rules test FILE...   run jurist case files; ends with 'N passed, M failed'
sagstilsyn rules list           every rule: id, title, kind, versions, citations
sagstilsyn rules show RULE_ID   one rule in full, in Danish
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from sagstilsyn.law.describe import deadline_texts, match_text, trigger_text
from sagstilsyn.law.jurist_cases import CaseFileError, case_files, parse_case_file, run_case
from sagstilsyn.law.loader import CatalogueError, load_catalogue
from sagstilsyn.law.model import KIND_LABELS, Catalogue, Citation, Rule, RuleVersion

UNVERIFIED = "IKKE VERIFICERET"


def _citation_text(citation: Citation) -> str:
    text = citation.label
    if not citation.verified:
        text += f" [{UNVERIFIED}]"
    return text


def _period(version: RuleVersion) -> str:
    end = version.valid_to.isoformat() if version.valid_to else "…"
    return f"{version.valid_from.isoformat()} – {end}"


def _list(catalogue: Catalogue, out: TextIO) -> int:
    out.write(f"Regelkatalog version {catalogue.version}: {len(catalogue.rules)} regler\n\n")
    for rule in catalogue.rules:
        flag = "" if rule.verified else f"  [{UNVERIFIED}]"
        ref = f" ({rule.ref})" if rule.ref else ""
        out.write(
            f"{rule.id}{ref} – {rule.title}\n"
            f"  {KIND_LABELS[rule.kind]}, {'lovkrav' if rule.statutory else 'lokal standard'}{flag}\n"
        )
        for version in rule.versions:
            citations = "; ".join(_citation_text(c) for c in version.citations)
            texts = "; ".join(deadline_texts(catalogue, rule, version)).lower()
            deadline = f" – frist: {texts}" if rule.computed else ""
            out.write(f"  {_period(version)} {catalogue.laws[version.law].name}{deadline}: {citations}\n")
            for citation in version.citations:
                if citation.verified:
                    out.write(f"    {citation.label} er læst i: {citation.read_in}\n")
        out.write("\n")
    return 0


def _show(catalogue: Catalogue, rule_id: str, out: TextIO, err: TextIO) -> int:
    try:
        rule: Rule = catalogue.rule(rule_id)
    except KeyError:
        err.write(f"Ukendt regel '{rule_id}'. Se 'sagstilsyn rules list'.\n")
        return 2
    out.write(f"{rule.title}\n{'=' * len(rule.title)}\n")
    out.write(f"Id: {rule.id}{f' (domæneregel {rule.ref})' if rule.ref else ''}\n")
    out.write(f"Type: {KIND_LABELS[rule.kind]}, {'lovkrav' if rule.statutory else 'lokal standard'}\n")
    if not rule.verified:
        out.write(f"Bemærk: mindst én henvisning er {UNVERIFIED.lower()} mod lovteksten.\n")
    out.write(f"\n{rule.description}\n")
    if rule.interpretation:
        out.write(f"\nSagstilsyns fortolkning: {rule.interpretation}\n")
    if rule.question:
        out.write(f"\nGennemgangsspørgsmål: {rule.question}\n")
    for heading, text in (
        ("Udløses af", trigger_text(catalogue, rule)),
        ("Opfyldes af", match_text(catalogue, rule.satisfied_by)),
        ("Bortfalder ved", match_text(catalogue, rule.released_by)),
        ("Ophører ved", match_text(catalogue, rule.ended_by)),
    ):
        if text:
            out.write(f"{heading}: {text}\n")
    for version in rule.versions:
        out.write(f"\nVersion {_period(version)} – {catalogue.laws[version.law].name}\n")
        for text in deadline_texts(catalogue, rule, version):
            out.write(f"  Frist: {text}\n")
        for heading, match in (
            ("Opfyldes af", version.satisfied_by),
            ("Bortfalder ved", version.released_by),
        ):
            if match is not None:
                out.write(f"  {heading} i denne version: {match_text(catalogue, match)}\n")
        for citation in version.citations:
            out.write(f"  Henvisning: {_citation_text(citation)}\n    Kilde: {citation.url}\n")
            if citation.read_in:
                out.write(f"    Ordlyden er læst i: {citation.read_in}\n")
            if citation.note:
                out.write(f"    Note: {citation.note}\n")
        if version.note:
            out.write(f"  Note: {version.note}\n")
    return 0


def _test(catalogue: Catalogue, paths: Sequence[str], out: TextIO) -> int:
    passed = failed = 0
    for path in case_files(paths):
        if not path.exists():
            out.write(f"{path}: filen findes ikke\n")
            failed += 1
            continue
        try:
            cases = parse_case_file(path, catalogue)
        except CaseFileError as error:
            out.write(f"FEJL I FIL {error}\n")
            failed += 1
            continue
        for case in cases:
            result = run_case(case, catalogue)
            if result.passed:
                passed += 1
                continue
            failed += 1
            for failure in result.failures:
                out.write(f"{path}: {case.name}: {failure}\n")
    out.write(f"{passed} passed, {failed} failed\n")
    return 0 if failed == 0 else 1


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Entry point for `sagstilsyn rules`; returns the exit status."""
    stdout = out or sys.stdout
    stderr = err or sys.stderr
    parser = argparse.ArgumentParser(
        prog="sagstilsyn rules", description="Regelkataloget: vis og test reglerne."
    )
    parser.add_argument("--catalogue", help="sti til et andet regelkatalog (standard: det indbyggede)")
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="kør juristcases (YAML)")
    test.add_argument("files", nargs="+", metavar="FILE")
    sub.add_parser("list", help="vis alle regler")
    show = sub.add_parser("show", help="vis én regel")
    show.add_argument("rule_id", metavar="RULE_ID")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        catalogue = load_catalogue(args.catalogue)
    except CatalogueError as error:
        stderr.write(f"{error}\n")
        return 2
    try:
        if args.command == "list":
            return _list(catalogue, stdout)
        if args.command == "show":
            return _show(catalogue, args.rule_id, stdout, stderr)
        return _test(catalogue, args.files, stdout)
    except BrokenPipeError:  # e.g. `sagstilsyn rules list | head`
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
