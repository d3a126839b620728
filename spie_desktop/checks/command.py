"""``spie-desktop check FILE.spie [--json]``: the completeness report on the command line.

Exit status: 0 when nothing blocks filing, 1 when something does, 2 when the file cannot be
checked (the French reason on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import SpieError
from ..presentation import plural
from ..terminal import for_terminal, one_line
from .report import CompletenessReport, Problem, Severity

if TYPE_CHECKING:
    from ..snapshot import DossierSnapshot

NBSP = "\u00a0"

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_ERROR = 2
JSON_FORMAT = "spie-check"
JSON_FORMAT_VERSION = 1


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "check",
        help="vérifier qu'un dossier est complet et prêt à être déposé",
        description="Liste, section par section, les réponses manquantes ou à corriger d'un dossier. "
        "Code de sortie : 0 si rien ne bloque le dépôt, 1 sinon, 2 en cas d'erreur.",
    )
    parser.add_argument("file", metavar="FICHIER.spie", help="le dossier à vérifier")
    parser.add_argument(
        "--json", action="store_true", help="écrire le rapport en JSON (problèmes et avancement)"
    )
    parser.set_defaults(func=run, handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        from .engine import check

        snapshot = _open(args.file)
        report = check(snapshot)
        text = format_json(snapshot, report) if args.json else format_text(snapshot, report)
    except Exception as exc:  # noqa: BLE001 - every failure reaches the user as a French sentence, never a traceback
        _write(sys.stderr, f"spie-desktop check : {_error_message(exc)}\n")
        return EXIT_ERROR
    _write(sys.stdout, text)
    return EXIT_BLOCKING if report.blocking else EXIT_OK


def _open(path: str) -> DossierSnapshot:
    from ..models import open_snapshot

    return open_snapshot(path)


def _error_message(exc: Exception) -> str:
    if isinstance(exc, SpieError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return f"le fichier « {exc.filename} » est introuvable."
    if isinstance(exc, PermissionError):
        return f"le fichier « {exc.filename} » ne peut pas être lu (accès refusé)."
    if isinstance(exc, OSError):
        return f"le fichier ne peut pas être lu ({exc.strerror or exc.__class__.__name__})."
    return f"erreur inattendue pendant la vérification ({exc.__class__.__name__} : {exc}). Signalez-la avec le fichier concerné."


def _write(stream: Any, text: str) -> None:
    text = for_terminal(text)  # JSON stays valid: the escapes are JSON's own \uXXXX
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a console that cannot show « », é or the no-break space
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.replace(NBSP, " ").encode(encoding, errors="replace").decode(encoding))
    stream.flush()


# -- text -------------------------------------------------------------------------------------


def _percent(report: CompletenessReport) -> str:
    value = int(report.progress * 100)  # floor: never "100 %" while an answer is missing
    return f"{value}{NBSP}%"


def verdict(report: CompletenessReport) -> str:
    blocking, warnings = len(report.blocking), len(report.warnings)
    counts = (
        f"{plural(blocking, 'problème bloquant', 'problèmes bloquants')}, {plural(warnings, 'avertissement')}"
    )
    if blocking:
        return f"{counts} : le dossier ne peut pas encore être déposé."
    if warnings:
        return f"{counts} : rien n'empêche le dépôt, mais relisez les avertissements."
    return "Aucun problème : le dossier est prêt à être déposé."


def problem_line(p: Problem) -> str:
    tag = "[bloquant]" if p.severity is Severity.BLOQUANT else "[avertissement]"
    label = p.field_label if p.field_label and f"«{NBSP}{p.field_label}{NBSP}»" not in p.message else ""
    where = " › ".join(one_line(x) for x in (p.location, label) if x)
    return f"{tag} {where} : {one_line(p.message)}" if where else f"{tag} {one_line(p.message)}"


def format_text(snapshot: DossierSnapshot, report: CompletenessReport) -> str:
    """The report as a person reads it: a verdict, then every section with its state and problems."""
    from .engine import iter_problem_sections

    t = snapshot.template
    lines = [
        f"Vérification du dossier «{NBSP}{one_line(snapshot.info.title)}{NBSP}»",
        f"Modèle : {one_line(t.title)} (version {one_line(t.version)})",
        f"Réponses obligatoires données : {report.answered} sur {report.required} ({_percent(report)})",
        verdict(report),
    ]
    if report.online_tasks:
        required = sum(1 for task in report.online_tasks if task.required)
        lines.append(
            f"À faire en ligne, sur la plateforme : {plural(len(report.online_tasks), 'question')}"
            f" (dont {plural(required, 'obligatoire')}) : "
            + ", ".join(f"«{NBSP}{task.label}{NBSP}»" for task in report.online_tasks)
        )
    grouped = {sid: found for sid, _title, found in iter_problem_sections(report, t)}
    if "" in grouped:
        lines += ["", "Ensemble du dossier"]
        lines += [f"  {problem_line(p)}" for p in grouped[""]]
    for s in report.sections:
        lines += [
            "",
            f"{one_line(s.title)} — {s.state.label} — réponses obligatoires : {s.answered} sur {s.required}",
        ]
        lines += [f"  {problem_line(p)}" for p in grouped.get(s.section_id, ())]
    return "\n".join(lines) + "\n"


# -- JSON -------------------------------------------------------------------------------------


def problem_dict(p: Problem) -> dict[str, Any]:
    return {
        "severity": p.severity.value,
        "section_id": p.section_id,
        "path": p.display_path,
        "stored_path": p.path,
        "row_index": p.row_index,
        "location": p.location,
        "field_label": p.field_label,
        "message": p.message,
        "rule_id": p.rule_id,
        "missing": p.missing,
    }


def report_dict(snapshot: DossierSnapshot, report: CompletenessReport) -> dict[str, Any]:
    info = snapshot.info
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "dossier": {
            "id": info.id,
            "title": info.title,
            "template": {"id": snapshot.template.id, "version": snapshot.template.version},
        },
        "can_file": report.can_file,
        "blocking": len(report.blocking),
        "warnings": len(report.warnings),
        "progress": {
            "answered": report.answered,
            "required": report.required,
            "ratio": round(report.progress, 4),
        },
        "sections": [
            {
                "id": s.section_id,
                "title": s.title,
                "state": s.state.value,
                "state_label": s.state.label,
                "answered": s.answered,
                "required": s.required,
                "blocking": s.blocking,
                "warnings": s.warnings,
            }
            for s in report.sections
        ],
        "problems": [problem_dict(p) for p in report.problems],
        "online_tasks": [
            {"section_id": t.section_id, "field": t.field_id, "label": t.label, "required": t.required}
            for t in report.online_tasks
        ],
    }


def format_json(snapshot: DossierSnapshot, report: CompletenessReport) -> str:
    return json.dumps(report_dict(snapshot, report), ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m spie_desktop.checks.command FILE.spie [--json]``, the same as ``spie-desktop check``."""
    parser = argparse.ArgumentParser(prog="spie-desktop")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["check", *(sys.argv[1:] if argv is None else argv)])
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
