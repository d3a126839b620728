"""Hand-built templates and snapshots for the export tests (no database, no other engineer's code)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from spie_desktop.checks.report import (
    CompletenessReport,
    Problem,
    SectionProgress,
    SectionState,
    Severity,
)
from spie_desktop.forms import parse_template
from spie_desktop.snapshot import AttachmentInfo, CommentInfo, DossierInfo, DossierSnapshot

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_SCHEMA = FIXTURES / "ds-demarche-schema.json"  # copy of shared/samples/ds-demarche-schema.json

TEMPLATE = {
    "format": "spie-template",
    "format_version": 1,
    "id": "test-exports",
    "version": "1",
    "title": "AMI SPIE — modèle d'essai",
    "description": "",
    "deadline": None,
    "platform": {"procedure_path": "ami-essai", "procedure_number": 1234},
    "parameters": {},
    "sections": [
        {
            "id": "porteur",
            "title": "Porteur du projet",
            "fields": [
                {
                    "id": "nom_structure",
                    "type": "text",
                    "label": "Nom de la structure porteuse",
                    "required": True,
                },
                {"id": "siret", "type": "siret", "label": "SIRET", "required": True},
                {"id": "courriel", "type": "email", "label": "Courriel", "required": True},
                {
                    "id": "type_porteur",
                    "type": "drop_down_list",
                    "label": "Type de porteur",
                    "required": True,
                    "options": ["Conseil départemental", "Autre acteur"],
                },
                {
                    "id": "accord_cd",
                    "type": "piece_justificative",
                    "label": "Accord du conseil départemental",
                    "required": True,
                    "visible_if": {"field": "type_porteur", "equals": "Autre acteur"},
                },
            ],
        },
        {
            "id": "territoire",
            "title": "Territoire",
            "fields": [
                {"id": "departement", "type": "departements", "label": "Département", "required": True},
                {"id": "epci", "type": "epci", "label": "EPCI"},
                {"id": "titre_diag", "type": "header_section", "label": "Diagnostic", "level": 2},
                {
                    "id": "aide_diag",
                    "type": "explication",
                    "label": "À lire",
                    "description": "Décrivez les publics.",
                },
                {
                    "id": "diagnostic",
                    "type": "textarea",
                    "label": "Diagnostic territorial",
                    "required": True,
                    "character_limit": 2000,
                },
                {
                    "id": "nb_rsa",
                    "type": "integer_number",
                    "label": "Allocataires du RSA",
                    "unit": "personnes",
                },
                {"id": "etp", "type": "decimal_number", "label": "Coordination", "unit": "ETP"},
                {"id": "date_debut", "type": "date", "label": "Date de démarrage", "required": True},
                {"id": "referent", "type": "yes_no", "label": "Référent unique ?", "required": True},
                {
                    "id": "publics",
                    "type": "multiple_drop_down_list",
                    "label": "Publics visés",
                    "options": ["Allocataires du RSA", "Jeunes de moins de 26 ans", "Personnes handicapées"],
                },
                {"id": "commentaire", "type": "textarea", "label": "Précisions", "required": True},
            ],
        },
        {
            "id": "budget",
            "title": "Budget",
            "fields": [
                {
                    "id": "depenses",
                    "type": "repetition",
                    "label": "Dépenses",
                    "row_label": "Dépense",
                    "required": True,
                    "children": [
                        {"id": "categorie", "type": "text", "label": "Catégorie", "required": True},
                        {
                            "id": "annee",
                            "type": "drop_down_list",
                            "label": "Année",
                            "options": ["2022", "2023"],
                            "required": True,
                        },
                        {
                            "id": "montant",
                            "type": "decimal_number",
                            "label": "Montant",
                            "unit": "€",
                            "required": True,
                        },
                    ],
                },
                {
                    "id": "actions",
                    "type": "repetition",
                    "label": "Actions",
                    "row_label": "Action",
                    "children": [
                        {"id": "titre", "type": "text", "label": "Titre"},
                        {"id": "description", "type": "textarea", "label": "Description"},
                        {
                            "id": "axe",
                            "type": "drop_down_list",
                            "label": "Axe",
                            "options": ["Diagnostic", "Référent", "Offre"],
                        },
                        {"id": "debut", "type": "date", "label": "Début"},
                        {"id": "fin", "type": "date", "label": "Fin"},
                        {"id": "partenaires", "type": "text", "label": "Partenaires"},
                        {"id": "convention", "type": "piece_justificative", "label": "Convention"},
                    ],
                },
                {
                    "id": "attestation",
                    "type": "checkbox",
                    "label": "J'atteste l'exactitude",
                    "required": True,
                },
            ],
        },
    ],
    "rules": [],
}

DIAGNOSTIC = (
    "Le territoire compte 12 400 allocataires du RSA, dont 38 % depuis plus de deux ans.\n"
    "Principales difficultés : mobilité, garde d'enfants, numérique.\n\n"
    "L'offre d'insertion est riche mais cloisonnée ; les « freins périphériques » sont traités au cas par cas… "
    "Cœur du projet : un référent unique — 1 500 € par parcours."
)

ANSWERS = {
    "nom_structure": "Conseil départemental du Morbihan",
    "siret": "22560001400016",
    "courriel": "spie@morbihan.fr",
    "type_porteur": "Conseil départemental",
    "departement": "56",
    "epci": "Lorient Agglomération",
    "diagnostic": DIAGNOSTIC,
    "nb_rsa": 12400,
    "etp": "2.5",
    "date_debut": "2022-01-03",
    "referent": True,
    "publics": ["Allocataires du RSA", "Jeunes de moins de 26 ans"],
    "depenses": [
        {"_id": "r1", "categorie": "Coordination", "annee": "2022", "montant": "45000.00"},
        {"_id": "r2", "categorie": "Formation des référents", "annee": "2023", "montant": "12500.50"},
        {"_id": "r3", "categorie": "Outils numériques", "annee": "2022", "montant": "8000"},
    ],
    "actions": [
        {
            "_id": "a1",
            "titre": "Diagnostic partagé",
            "description": "Une méthode commune.\nDeux lignes.",
            "axe": "Diagnostic",
            "debut": "2022-01-03",
            "fin": "2022-06-30",
            "partenaires": "CD, Pôle emploi, CAF",
        },
    ],
    "attestation": True,
}


def make_template(data: dict | None = None):
    return parse_template(json.loads(json.dumps(data or TEMPLATE)))


def make_snapshot(
    answers: dict | None = None,
    *,
    template=None,
    attachments=(),
    comments=(),
    title="Dossier SPIE du Morbihan",
):
    return DossierSnapshot(
        template=template or make_template(),
        info=DossierInfo(
            id="d1",
            title=title,
            template_id="test-exports",
            template_version="1",
            created_at="2026-11-20T09:00:00+00:00",
            updated_at="2026-11-25T10:00:00+00:00",
        ),
        answers=dict(ANSWERS if answers is None else answers),
        attachments=tuple(attachments),
        comments=tuple(comments),
        change_count=42,
    )


def report(blocking: int = 0, warnings: int = 0) -> CompletenessReport:
    problems = tuple(
        Problem(
            Severity.BLOQUANT,
            "territoire",
            "commentaire",
            "commentaire",
            "Précisions",
            "Répondez à cette question.",
            "required",
        )
        for _ in range(blocking)
    ) + tuple(
        Problem(
            Severity.AVERTISSEMENT,
            "budget",
            "",
            "",
            "",
            "Le cofinancement est inférieur à 20 %.",
            "cofinancement",
        )
        for _ in range(warnings)
    )
    sections = (
        SectionProgress("porteur", "Porteur du projet", 4, 4, 0, 0, SectionState.COMPLETE),
        SectionProgress(
            "territoire",
            "Territoire",
            4,
            5,
            blocking,
            0,
            SectionState.PROBLEMS if blocking else SectionState.COMPLETE,
        ),
        SectionProgress("budget", "Budget", 2, 2, 0, warnings, SectionState.COMPLETE),
    )
    return CompletenessReport(problems, sections)


ATTACHMENTS = (
    AttachmentInfo(
        1, "actions[a1].convention", "convention-diagnostic.pdf", "application/pdf", 48213, "ab" * 32
    ),
)
COMMENTS = (
    CommentInfo(
        "c1",
        "diagnostic",
        "Claire Martin",
        "DDETS 56",
        "2026-11-24T14:00:00+00:00",
        "Citer la source des chiffres <INSEE> & de la CAF.",
    ),
)


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def has_qpdf() -> bool:
    return shutil.which("qpdf") is not None
