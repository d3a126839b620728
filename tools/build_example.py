"""Build resources/examples/exemple-dossier.json, the complete fictional dossier shipped with the app.

The dossier follows the built-in template « ami-spie-2021-vague2 » and the interchange format
« spie-dossier » version 1. Everything is invented: the « Département de la Haute-Vallée », its
towns, people, SIRET, e-mails (example.org) and phone numbers (ranges reserved by the ARCEP for
fiction). The output is deterministic: fixed ids, and PDFs made with reportlab's ``invariant``
mode, so running the script twice gives the same bytes.

Usage, from the repository root:
    python tools/build_example.py            # write the file
    python tools/build_example.py --check    # exit 1 if the file is missing or out of date
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.lib.utils import simpleSplit  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from spie_desktop.forms import FieldType, Template, is_visible, load_template_file  # noqa: E402

TEMPLATE_FILE = ROOT / "resources" / "templates" / "ami-spie-2021-vague2.json"
OUTPUT = ROOT / "resources" / "examples" / "exemple-dossier.json"

DOSSIER_ID = "3f6c2a1e-8b4d-4c7a-9e21-5d0f7b9a6c13"
CREATED_AT = "2021-09-01T08:30:00+00:00"
UPDATED_AT = "2021-10-04T16:45:00+00:00"

CD_NAME = "Département de la Haute-Vallée"
FICTION = (
    "Ce dossier est un exemple entièrement fictif : le Département de la Haute-Vallée, ses communes, "
    "ses partenaires et les personnes citées n'existent pas."
)


def row_id(field_id: str, index: int) -> str:
    """A stable row id ("r" + 12 hex digits) so the example never changes between builds."""
    return "r" + hashlib.sha256(f"exemple:{field_id}:{index}".encode()).hexdigest()[:12]


def paragraphs(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts)


def siret(prefix13: str) -> str:
    """Complete 13 digits with the Luhn key digit, as INSEE does for SIRET numbers."""
    for last in "0123456789":
        digits = prefix13 + last
        total = 0
        for i, ch in enumerate(reversed(digits)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------------------------

MEMBERS: list[dict[str, Any]] = [
    {
        "structure": CD_NAME,
        "type_structure": "Conseil départemental",
        "role": paragraphs(
            "Porteur du projet et chef de file du consortium. La direction de l'insertion et de l'emploi "
            "pilote le projet, préside le comité technique et coordonne les actions 1, 2 et 6.",
            "Le Département met à disposition ses 38 référents RSA, finance 100 000 € du projet et ouvre "
            "les données d'orientation de son logiciel RSA aux partenaires habilités.",
        ),
        "contact_nom": "Karim Benali, chef de projet SPIE, direction de l'insertion et de l'emploi",
        "contact_email": "karim.benali@haute-vallee.example.org",
        "contact_telephone": "02 61 91 10 20",
        "letter": "lettre-engagement-departement.pdf",
        "signatory": "Claire Martin, présidente du conseil départemental",
    },
    {
        "structure": "Pôle emploi Haute-Vallée, direction territoriale",
        "type_structure": "Pôle emploi",
        "role": paragraphs(
            "Copilote du projet avec le Département. Pôle emploi désigne un référent de parcours dans chacune "
            "de ses trois agences et conduit les diagnostics partagés avec les référents du Département.",
            "Il pilote l'action 4 (lien avec les employeurs), mobilise ses conseillers entreprises et "
            "valorise 30 000 € de temps de conseillers dans le plan de financement.",
        ),
        "contact_nom": "Sophie Leroy, directrice territoriale",
        "contact_email": "sophie.leroy@pole-emploi-hv.example.org",
        "contact_telephone": "02 61 91 10 31",
        "letter": "lettre-engagement-pole-emploi.pdf",
        "signatory": "Sophie Leroy, directrice territoriale de Pôle emploi Haute-Vallée",
    },
    {
        "structure": "Mission locale du Pays de Morvanne",
        "type_structure": "Mission locale",
        "role": paragraphs(
            "Accompagne les jeunes de moins de 26 ans, dont les sortants de l'aide sociale à l'enfance. La "
            "mission locale désigne deux conseillers référents de parcours et participe aux réunions de "
            "situation.",
            "Elle mobilise le contrat d'engagement jeune pour les jeunes orientés par le Département.",
        ),
        "contact_nom": "Julien Moreau, directeur",
        "contact_email": "j.moreau@ml-morvanne.example.org",
        "contact_telephone": "02 61 91 10 42",
        "letter": "lettre-engagement-mission-locale.pdf",
        "signatory": "Julien Moreau, directeur de la mission locale du Pays de Morvanne",
    },
    {
        "structure": "Cap emploi Haute-Vallée",
        "type_structure": "Cap emploi",
        "role": paragraphs(
            "Accompagne les personnes en situation de handicap orientées vers l'emploi. Cap emploi désigne "
            "un référent de parcours et forme les autres référents à la compensation du handicap au travail.",
        ),
        "contact_nom": "Nadia Haddad, responsable de l'accompagnement",
        "contact_email": "nadia.haddad@capemploi-hv.example.org",
        "contact_telephone": "02 61 91 10 53",
        "letter": "lettre-engagement-cap-emploi.pdf",
        "signatory": "Nadia Haddad, responsable de l'accompagnement de Cap emploi Haute-Vallée",
    },
    {
        "structure": "Caisse d'allocations familiales de la Haute-Vallée",
        "type_structure": "Caisse d'allocations familiales (CAF)",
        "role": paragraphs(
            "Transmet chaque jour au Département la liste des nouveaux allocataires du RSA et participe à la "
            "mise en place du carnet de bord numérique (action 5).",
            "La CAF finance 20 000 € de solutions de garde d'enfants pour les parents isolés en parcours.",
        ),
        "contact_nom": "Marc Dubois, responsable de l'action sociale",
        "contact_email": "marc.dubois@caf-hv.example.org",
        "contact_telephone": "02 61 91 10 64",
        "letter": "lettre-engagement-caf.pdf",
        "signatory": "Marc Dubois, responsable de l'action sociale de la CAF de la Haute-Vallée",
    },
    {
        "structure": "Tremplin Vance, atelier et chantier d'insertion",
        "type_structure": "Structure d'insertion par l'activité économique (SIAE)",
        "role": paragraphs(
            "Propose 45 postes en insertion (maraîchage, entretien d'espaces naturels) et des immersions "
            "courtes pour les personnes orientées par les référents. Participe au comité technique.",
        ),
        "contact_nom": "Élodie Garnier, directrice",
        "contact_email": "direction@tremplin-vance.example.org",
        "contact_telephone": "02 61 91 10 75",
    },
    {
        "structure": "Roues libres Haute-Vallée",
        "type_structure": "Association",
        "role": paragraphs(
            "Association de mobilité solidaire : location de scooters et de voitures à 2 € par jour, "
            "auto-école sociale, diagnostic mobilité. Elle porte le volet mobilité de l'action 3.",
        ),
        "contact_nom": "Thomas Petit, coordinateur",
        "contact_email": "contact@roues-libres-hv.example.org",
        "contact_telephone": "06 39 98 10 86",
    },
    {
        "structure": "GRETA Haute-Vallée",
        "type_structure": "Organisme de formation (AFPA, GRETA…)",
        "role": paragraphs(
            "Conçoit et anime la formation commune des référents de parcours (diagnostic partagé, entretien "
            "motivationnel, connaissance des métiers qui recrutent) et les ateliers numériques de l'action 5.",
        ),
        "contact_nom": "Isabelle Fontaine, conseillère en formation continue",
        "contact_email": "isabelle.fontaine@greta-hv.example.org",
        "contact_telephone": "02 61 91 10 97",
    },
    {
        "structure": "CCAS de Morvanne",
        "type_structure": "CCAS ou CIAS",
        "role": paragraphs(
            "Accueille les personnes sans domicile stable domiciliées au CCAS, désigne un référent de "
            "parcours et ouvre ses permanences aux réunions de situation du territoire de Morvanne.",
        ),
        "contact_nom": "Paul Lambert, directeur",
        "contact_email": "paul.lambert@ccas-morvanne.example.org",
        "contact_telephone": "02 61 91 11 08",
    },
    {
        "structure": "Communauté d'agglomération de Morvanne",
        "type_structure": "EPCI (communauté de communes, d'agglomération, métropole)",
        "role": paragraphs(
            "Mobilise son service développement économique et sa clause sociale dans les marchés publics "
            "pour ouvrir des offres d'emploi aux personnes accompagnées (action 4).",
        ),
        "contact_nom": "Hélène Roussel, vice-présidente chargée de l'emploi",
        "contact_email": "h.roussel@agglo-morvanne.example.org",
        "contact_telephone": "02 61 91 11 19",
    },
]

ACTIONS: list[dict[str, Any]] = [
    {
        "titre": "Un diagnostic partagé dès l'ouverture du droit au RSA",
        "axe": "Diagnostic social et professionnel partagé",
        "description": paragraphs(
            "Chaque nouvel allocataire du RSA est reçu dans les quinze jours qui suivent l'ouverture de son "
            "droit, au cours d'un rendez-vous commun avec un référent du Département et un conseiller de Pôle "
            "emploi. Le diagnostic suit une grille unique, construite avec les partenaires et testée en 2021 "
            "sur le territoire de Morvanne.",
            "Le diagnostic est versé dans le carnet de bord numérique : la personne n'a plus à raconter sa "
            "situation à chaque nouveau professionnel. L'orientation (sociale, socioprofessionnelle ou "
            "professionnelle) est décidée à l'issue du rendez-vous, avec la personne.",
            "Résultat attendu : 90 % des nouveaux allocataires diagnostiqués en moins de quinze jours fin 2023, "
            "contre 45 jours en moyenne aujourd'hui.",
        ),
        "partenaires": "Pilote : Département. Contributeurs : Pôle emploi, CAF, mission locale, Cap emploi.",
        "date_debut": "2022-01-03",
        "date_fin": "2023-12-29",
    },
    {
        "titre": "Un référent de parcours unique et des réunions de situation",
        "axe": "Référent de parcours unique et suivi partagé",
        "description": paragraphs(
            "À l'issue du diagnostic, un référent unique est désigné parmi les professionnels du consortium, "
            "selon la situation de la personne. Il reste son interlocuteur pendant tout le parcours et jusqu'à "
            "six mois après la reprise d'un emploi durable.",
            "Des réunions de situation mensuelles, sur chacun des trois territoires d'action sociale, "
            "permettent aux référents de mobiliser ensemble les solutions des partenaires pour les parcours "
            "bloqués, avec l'accord de la personne.",
        ),
        "partenaires": "Pilote : Département. Contributeurs : Pôle emploi, mission locale, Cap emploi, CCAS de Morvanne.",
        "date_debut": "2022-03-01",
        "date_fin": "2023-12-29",
    },
    {
        "titre": "Lever les freins : mobilité et garde d'enfants",
        "axe": "Offre d'accompagnement décloisonnée et levée des freins périphériques",
        "description": paragraphs(
            "Un catalogue commun des solutions de mobilité, de garde d'enfants et de santé est mis à la "
            "disposition de tous les référents, avec une prescription directe : un référent de Pôle emploi "
            "peut réserver un véhicule de Roues libres ou une place de crèche à vocation d'insertion sans "
            "passer par une nouvelle orientation.",
            "La CAF finance des places de garde pour les parents isolés pendant les premières semaines "
            "d'emploi ou de formation.",
        ),
        "partenaires": "Pilote : Roues libres Haute-Vallée. Contributeurs : CAF, Département, CCAS de Morvanne.",
        "date_debut": "2022-04-01",
        "date_fin": "2023-12-29",
    },
    {
        "titre": "Rencontres avec les employeurs et immersions",
        "axe": "Lien avec les employeurs",
        "description": paragraphs(
            "Chaque trimestre, un « jobdating sans CV » réunit les employeurs des secteurs qui recrutent "
            "(aide à domicile, logistique, agroalimentaire) et les personnes accompagnées, préparées par leur "
            "référent. Les immersions en entreprise sont proposées dès le premier mois de parcours.",
            "La communauté d'agglomération mobilise la clause sociale de ses marchés ; l'atelier et chantier "
            "d'insertion Tremplin Vance propose des contrats passerelles.",
        ),
        "partenaires": "Pilote : Pôle emploi. Contributeurs : communauté d'agglomération de Morvanne, Tremplin Vance, Cap emploi.",
        "date_debut": "2022-06-01",
        "date_fin": "2023-11-30",
    },
    {
        "titre": "Carnet de bord numérique et échanges de données",
        "axe": "Outils numériques partagés",
        "description": paragraphs(
            "Le carnet de bord numérique est déployé auprès des 120 professionnels du consortium. Les "
            "orientations sont échangées chaque jour entre le Département, Pôle emploi et la CAF, dans le "
            "respect du RGPD (analyse d'impact réalisée au premier trimestre 2022).",
            "Le GRETA anime des ateliers pour les personnes qui maîtrisent mal le numérique, afin qu'elles "
            "puissent consulter elles-mêmes leur carnet.",
        ),
        "partenaires": "Pilote : Département. Contributeurs : Pôle emploi, CAF, GRETA Haute-Vallée.",
        "date_debut": "2022-02-01",
        "date_fin": "2023-06-30",
    },
    {
        "titre": "Un groupe miroir des personnes accompagnées",
        "axe": "Participation des personnes accompagnées",
        "description": paragraphs(
            "Douze personnes accompagnées, renouvelées par moitié chaque année, forment un groupe miroir "
            "qui se réunit chaque trimestre. Elles rendent un avis sur les outils (grille de diagnostic, "
            "carnet de bord, courriers) avant leur déploiement et participent à l'évaluation.",
            "Leurs frais de déplacement et de garde sont pris en charge ; deux membres du groupe siègent au "
            "comité de pilotage.",
        ),
        "partenaires": "Pilote : Département. Contributeurs : mission locale, Roues libres Haute-Vallée.",
        "date_debut": "2022-03-15",
        "date_fin": "2023-12-15",
    },
]

JALONS = [
    ("2022-01-14", "Installation du comité de pilotage et signature de la convention de consortium"),
    ("2022-02-28", "Grille de diagnostic commune validée par le groupe miroir"),
    ("2022-04-29", "Tous les référents de parcours désignés et formés"),
    ("2022-06-30", "Carnet de bord numérique ouvert à tous les membres du consortium"),
    ("2022-12-16", "Premier bilan annuel présenté au comité de pilotage"),
    ("2023-06-30", "Évaluation à mi-parcours remise par le prestataire"),
    ("2023-12-15", "Évaluation finale et décision sur la pérennisation"),
]

DEPENSES = [
    (
        "Personnel de coordination et de pilotage",
        "2022",
        "95000.00",
        "1 ETP de chef de projet et 0,5 ETP de coordinatrice, salaires chargés",
    ),
    (
        "Personnel d'accompagnement (référents de parcours)",
        "2022",
        "80000.00",
        "2 ETP de référents supplémentaires au Département",
    ),
    (
        "Outils numériques et systèmes d'information",
        "2022",
        "45000.00",
        "Raccordement au carnet de bord, interfaces avec le logiciel RSA",
    ),
    (
        "Formation et professionnalisation des équipes",
        "2022",
        "25000.00",
        "Formation commune des 60 référents par le GRETA",
    ),
    (
        "Levée des freins périphériques (mobilité, garde d'enfants, santé…)",
        "2022",
        "35000.00",
        "Locations de véhicules et places de garde",
    ),
    (
        "Participation des personnes accompagnées",
        "2022",
        "8000.00",
        "Défraiement et animation du groupe miroir",
    ),
    ("Communication et animation du réseau", "2022", "7000.00", "Jobdatings, supports communs"),
    (
        "Personnel de coordination et de pilotage",
        "2023",
        "97000.00",
        "1 ETP de chef de projet et 0,5 ETP de coordinatrice, salaires chargés",
    ),
    (
        "Personnel d'accompagnement (référents de parcours)",
        "2023",
        "82000.00",
        "2 ETP de référents supplémentaires au Département",
    ),
    ("Outils numériques et systèmes d'information", "2023", "20000.00", "Maintenance et évolutions"),
    ("Formation et professionnalisation des équipes", "2023", "15000.00", "Formation des nouveaux référents"),
    (
        "Levée des freins périphériques (mobilité, garde d'enfants, santé…)",
        "2023",
        "40000.00",
        "Locations de véhicules et places de garde",
    ),
    (
        "Participation des personnes accompagnées",
        "2023",
        "9000.00",
        "Défraiement et animation du groupe miroir",
    ),
    ("Évaluation", "2023", "35000.00", "Évaluation externe à mi-parcours et finale"),
    ("Communication et animation du réseau", "2023", "7000.00", "Jobdatings, supports communs"),
]

RESSOURCES = [
    ("État – crédits du Service public de l'insertion et de l'emploi", "État", "450000.00", "Sollicité"),
    (CD_NAME, "Conseil départemental", "100000.00", "Obtenu"),
    (
        "Pôle emploi Haute-Vallée (temps de conseillers valorisé)",
        "Apport en nature valorisé",
        "30000.00",
        "Obtenu",
    ),
    (
        "Caisse d'allocations familiales de la Haute-Vallée",
        "Caisse d'allocations familiales (CAF)",
        "20000.00",
        "Sollicité",
    ),
]
MONTANT_ETAT = "450000.00"

INDICATEURS = [
    (
        "Délai moyen entre l'ouverture du droit au RSA et le premier rendez-vous",
        "jours",
        "45",
        "25",
        "15",
        "Logiciel RSA du Département, extraction trimestrielle",
    ),
    (
        "Part des nouveaux allocataires ayant un diagnostic partagé dans le mois",
        "%",
        "20",
        "60",
        "90",
        "Carnet de bord numérique",
    ),
    (
        "Nombre moyen d'interlocuteurs par personne accompagnée",
        "interlocuteurs",
        "3.4",
        "2",
        "1.2",
        "Enquête annuelle auprès des personnes accompagnées",
    ),
    (
        "Part des personnes accompagnées en emploi ou en formation six mois après l'entrée",
        "%",
        "22",
        "28",
        "35",
        "Données Pôle emploi croisées avec le logiciel RSA",
    ),
    (
        "Part des personnes satisfaites de leur accompagnement",
        "%",
        "61",
        "70",
        "80",
        "Enquête annuelle co-construite avec le groupe miroir",
    ),
]

PRINCIPES = {
    "diagnostic": paragraphs(
        "Une grille de diagnostic commune a été construite en 2021 par un groupe de travail réunissant des "
        "référents du Département, des conseillers de Pôle emploi, de la mission locale et de Cap emploi. "
        "Elle couvre la situation sociale (logement, santé, famille, ressources) et professionnelle "
        "(expérience, compétences, projet, mobilité).",
        "Le diagnostic est conduit à deux voix, par un référent du Département et un conseiller de Pôle "
        "emploi, lors du premier rendez-vous ; il est versé dans le carnet de bord et repris par tout "
        "professionnel qui accompagne ensuite la personne.",
    ),
    "referent": paragraphs(
        "Le référent est désigné à l'issue du diagnostic, parmi les professionnels du consortium, selon la "
        "situation de la personne : référent social du Département, conseiller de Pôle emploi, de la mission "
        "locale ou de Cap emploi, travailleur social du CCAS.",
        "Il devient l'interlocuteur unique de la personne : les autres professionnels interviennent à sa "
        "demande et lui rendent compte. Il continue de la suivre pendant les six premiers mois de l'emploi "
        "durable, avec un contact au moins mensuel.",
    ),
    "coordination": paragraphs(
        "La coordination est organisée à trois niveaux : un comité de pilotage semestriel des directions, "
        "un comité technique mensuel des responsables d'équipe, et des réunions de situation mensuelles "
        "entre référents sur chacun des trois territoires d'action sociale.",
        "Une convention de consortium, signée en janvier 2022, fixe le rôle de chaque membre, les règles de "
        "partage d'information et les circuits de décision. L'organisation est détaillée en section H.",
    ),
    "offre": paragraphs(
        "Les offres de service des membres sont recensées dans un catalogue commun, tenu à jour par la "
        "coordinatrice et consultable par tous les référents : mobilité, garde d'enfants, santé, logement, "
        "formation, insertion par l'activité économique.",
        "Tout référent peut prescrire directement une solution d'un autre membre, sans nouvelle orientation ; "
        "les blocages sont remontés au comité technique.",
    ),
    "numerique": paragraphs(
        "Le carnet de bord numérique est déployé auprès de tous les professionnels du consortium ; la "
        "personne y accède elle-même. Les orientations sont échangées chaque jour entre la CAF, le "
        "Département et Pôle emploi.",
        "Le principe « dites-le nous une fois » s'applique : les informations déjà connues d'un partenaire "
        "ne sont plus redemandées. Une analyse d'impact sur la protection des données est conduite avant "
        "l'ouverture.",
    ),
    "participation": paragraphs(
        "Un groupe miroir de douze personnes accompagnées rend un avis sur chaque outil avant son "
        "déploiement et participe à l'évaluation. Deux de ses membres siègent au comité de pilotage.",
        "Les courriers adressés aux allocataires sont réécrits avec le groupe miroir en langage clair. Une "
        "enquête de satisfaction annuelle, construite avec lui, mesure ce que les personnes perçoivent du "
        "changement.",
    ),
}


def answers() -> dict[str, Any]:
    a: dict[str, Any] = {
        # A
        "type_porteur": "Conseil départemental",
        # B
        "porteur_nom": CD_NAME,
        "porteur_siret": siret("2299000160001"),
        "porteur_adresse": "1 rue de l'Hôtel du Département, 99000 Morvanne",
        "representant_civilite": "Mme",
        "representant_nom": "Claire Martin",
        "representant_qualite": "Présidente du conseil départemental",
        "chef_projet_nom": "Karim Benali",
        "chef_projet_fonction": "Chef de projet SPIE, direction de l'insertion et de l'emploi",
        "chef_projet_email": "karim.benali@haute-vallee.example.org",
        "chef_projet_telephone": "02 61 91 10 20",
        # C
        "departement": "53",
        "epcis": [
            {"_id": row_id("epcis", 0), "epci": "Communauté d'agglomération de Morvanne"},
            {"_id": row_id("epcis", 1), "epci": "Communauté de communes du Haut-Vance"},
            {"_id": row_id("epcis", 2), "epci": "Communauté de communes des Trois Vallées"},
        ],
        "perimetre": paragraphs(
            FICTION + " Le code de département 53 n'est renseigné que parce que la plateforme exige un code "
            "existant.",
            "Le projet couvre tout le département de la Haute-Vallée (212 000 habitants), organisé en trois "
            "territoires d'action sociale : l'agglomération de Morvanne, le Haut-Vance, rural et montagneux, "
            "et les Trois Vallées, ancien bassin industriel.",
            "Ce périmètre correspond à celui des agences de Pôle emploi et de la mission locale, ce qui permet "
            "des réunions de situation communes sur chaque territoire. Les trois EPCI sont associés au projet.",
        ),
        "diagnostic_territorial": paragraphs(
            "La Haute-Vallée compte 8 450 foyers allocataires du RSA, un chiffre en hausse de 9 % depuis 2019. "
            "Près de la moitié vivent dans l'agglomération de Morvanne ; dans le Haut-Vance, l'isolement "
            "géographique et l'absence de transports en commun pèsent sur les parcours.",
            "Le marché du travail se tend : l'aide à domicile, la logistique et l'agroalimentaire peinent à "
            "recruter, alors que 12 300 demandeurs d'emploi sont inscrits depuis plus d'un an. Les employeurs "
            "rencontrés lors de la concertation de 2020 disent ne pas connaître les personnes accompagnées ni "
            "les aides mobilisables.",
            "Les parcours restent fragmentés : 45 jours en moyenne entre l'ouverture du droit et le premier "
            "rendez-vous, des diagnostics refaits par chaque structure, trois à quatre interlocuteurs par "
            "personne. Un tiers des allocataires citent la mobilité comme premier frein, un sur cinq la garde "
            "d'enfants.",
            "Des atouts existent : une expérimentation de rendez-vous communs Département – Pôle emploi en "
            "2021 sur Morvanne, un réseau associatif dense dans la mobilité, et un atelier et chantier "
            "d'insertion reconnu.",
        ),
        "nb_allocataires_rsa": 8450,
        "nb_demandeurs_longue_duree": 12300,
        "nb_jeunes_suivis": 3900,
        "sources_chiffres": "CAF de la Haute-Vallée, décembre 2020 ; Pôle emploi, juin 2021 ; mission locale, bilan 2020",
        # D
        "consortium": [
            {
                "_id": row_id("consortium", i),
                **{
                    k: m[k]
                    for k in (
                        "structure",
                        "type_structure",
                        "role",
                        "contact_nom",
                        "contact_email",
                        "contact_telephone",
                    )
                },
            }
            for i, m in enumerate(MEMBERS)
        ],
        # E
        "publics": [
            "Nouveaux allocataires du RSA",
            "Allocataires du RSA inscrits dans un parcours",
            "Demandeurs d'emploi de longue durée",
            "Jeunes de moins de 26 ans, dont sortants de l'aide sociale à l'enfance",
            "Familles monoparentales",
        ],
        "volume_2022": 1200,
        "volume_2023": 1800,
        "connaissance_public": paragraphs(
            "Le Département suit chaque année près de 2 000 nouveaux allocataires du RSA. Une étude menée en "
            "2021 avec la CAF sur 400 dossiers montre que 38 % sont des familles monoparentales, 27 % ont moins "
            "de 30 ans et 40 % n'ont pas de véhicule.",
            "Les entretiens conduits avec 25 allocataires pendant la concertation ont fait ressortir trois "
            "attentes : un seul interlocuteur, ne plus répéter son histoire, et des solutions concrètes de "
            "transport et de garde avant de parler d'emploi.",
            "La mission locale signale chaque année une quarantaine de jeunes sortant de l'aide sociale à "
            "l'enfance sans solution ; le projet prévoit un diagnostic partagé dès leurs 18 ans.",
        ),
        # F
        "resume": paragraphs(
            "Le projet « Un parcours, un référent » vise à offrir à chaque allocataire du RSA et à chaque "
            "demandeur d'emploi en difficulté de la Haute-Vallée un parcours sans rupture : un diagnostic "
            "partagé dans les quinze jours, un référent unique, et des solutions de mobilité et de garde "
            "mobilisables immédiatement.",
            "Dix structures s'engagent ensemble, autour du Département et de Pôle emploi, sur six actions "
            "conduites en 2022 et 2023.",
        ),
        "apports": paragraphs(
            "Pour les personnes, le projet change trois choses : un premier rendez-vous sous quinze jours au "
            "lieu de 45, un seul interlocuteur au lieu de trois ou quatre, et des freins levés avant la "
            "recherche d'emploi plutôt qu'après.",
            "Pour les professionnels, il apporte une méthode et des outils communs : grille de diagnostic, "
            "carnet de bord, catalogue des solutions, réunions de situation. Les référents ne travaillent plus "
            "chacun de leur côté sur les mêmes personnes.",
            "Le projet met ainsi en œuvre les objectifs du Service public de l'insertion et de l'emploi : "
            "un droit à l'accompagnement effectif dès l'entrée, une coordination organisée à tous les niveaux "
            "et la participation des personnes à la conception du service.",
        ),
        "actions": [{"_id": row_id("actions", i), **act} for i, act in enumerate(ACTIONS)],
        # H
        "instances_pilotage": paragraphs(
            "Le comité de pilotage, coprésidé par la présidente du conseil départemental et le préfet, réunit "
            "chaque semestre les directions des dix membres du consortium, la DDETS et deux membres du groupe "
            "miroir. Il valide le programme d'actions, le budget et les conclusions de l'évaluation.",
            "Le comité technique, animé par le chef de projet, réunit chaque mois les responsables d'équipe. "
            "Il suit les indicateurs, lève les blocages remontés par les référents et prépare le comité de "
            "pilotage.",
        ),
        "etp_coordination": "2.5",
        "organisation_trois_niveaux": paragraphs(
            "Directions : comité de pilotage semestriel et convention de consortium signée par chaque membre.",
            "Encadrement intermédiaire : comité technique mensuel ; chaque responsable d'équipe est le "
            "correspondant de ses référents pour les situations bloquées.",
            "Professionnels de terrain : réunions de situation mensuelles sur chaque territoire d'action "
            "sociale, formation commune des référents et messagerie partagée dans le carnet de bord.",
        ),
        # I
        "date_debut_projet": "2022-01-03",
        "date_fin_projet": "2023-12-29",
        "jalons": [{"_id": row_id("jalons", i), "date": d, "libelle": t} for i, (d, t) in enumerate(JALONS)],
        # J
        "depenses": [
            {"_id": row_id("depenses", i), "categorie": c, "annee": y, "montant": m, "commentaire": note}
            for i, (c, y, m, note) in enumerate(DEPENSES)
        ],
        "ressources": [
            {"_id": row_id("ressources", i), "financeur": f, "nature": n, "montant": m, "statut": s}
            for i, (f, n, m, s) in enumerate(RESSOURCES)
        ],
        "montant_etat": MONTANT_ETAT,
        # K
        "indicateurs": [
            {
                "_id": row_id("indicateurs", i),
                "nom": n,
                "unite": u,
                "valeur_reference": r,
                "cible_2022": c1,
                "cible_2023": c2,
                "source": s,
            }
            for i, (n, u, r, c1, c2, s) in enumerate(INDICATEURS)
        ],
        "modalites_evaluation": paragraphs(
            "Les indicateurs sont suivis chaque trimestre par le comité technique, à partir du logiciel RSA du "
            "Département, du carnet de bord et des données de Pôle emploi.",
            "Un prestataire externe, choisi après mise en concurrence, conduit une évaluation à mi-parcours "
            "(juin 2023) et une évaluation finale (décembre 2023), fondées sur les indicateurs, des entretiens "
            "avec les professionnels et une enquête auprès de 300 personnes accompagnées.",
            "Le groupe miroir participe à la construction de l'enquête et à la lecture des résultats.",
        ),
    }
    for key, text in PRINCIPES.items():
        a[f"principe_{key}"] = True
        a[f"principe_{key}_comment"] = text
    return a


# ---------------------------------------------------------------------------------------------
# Attachments: one-page letters, generated
# ---------------------------------------------------------------------------------------------


def letter_pdf(title: str, sender: str, body: list[str], signatory: str) -> bytes:
    """A one-page A4 letter; ``invariant=1`` fixes dates and ids so the bytes never change.

    ``body`` is a list of paragraphs, wrapped to the text width.
    """
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(sender)
    c.setSubject("Exemple fictif – SPIE Desktop")
    c.setCreator("SPIE Desktop, tools/build_example.py")
    width, height = A4
    x = 25 * mm
    text_width = width - 2 * x
    y = height - 30 * mm
    c.setFont("Helvetica-Bold", 13)
    for line in simpleSplit(sender, "Helvetica-Bold", 13, text_width):
        c.drawString(x, y, line)
        y -= 6 * mm
    c.setFont("Helvetica", 9)
    c.drawString(x, y, "Exemple fictif : structure, personnes et coordonnées inventées.")
    c.setFont("Helvetica", 10)
    c.drawRightString(width - x, y - 14 * mm, "Morvanne, le 27 septembre 2021")
    y -= 34 * mm
    c.setFont("Helvetica-Bold", 11)
    for line in simpleSplit(f"Objet : {title}", "Helvetica-Bold", 11, text_width):
        c.drawString(x, y, line)
        y -= 6 * mm
    y -= 6 * mm
    c.setFont("Helvetica", 10.5)
    for paragraph in body:
        for line in simpleSplit(paragraph, "Helvetica", 10.5, text_width):
            c.drawString(x, y, line)
            y -= 5.5 * mm
        y -= 3 * mm
    y -= 10 * mm
    sign_x = x + 80 * mm
    for line in simpleSplit(signatory, "Helvetica", 10.5, width - x - sign_x):
        c.drawString(sign_x, y, line)
        y -= 5.5 * mm
    c.setFont("Helvetica-Oblique", 10)
    c.drawString(sign_x, y - 2 * mm, "(signature)")
    c.showPage()
    c.save()
    return buf.getvalue()


def commitment_letter(member: dict[str, Any]) -> bytes:
    lines = [
        "Madame, Monsieur,",
        f"{member['structure']} s'engage, en qualité de membre du consortium réuni autour du Département de "
        "la Haute-Vallée, dans le projet « Un parcours, un référent » présenté à l'appel à manifestation "
        "d'intérêt pour le déploiement du Service public de l'insertion et de l'emploi (deuxième vague).",
        "Nous nous engageons à participer aux instances de pilotage et de coordination, à mobiliser nos "
        "professionnels dans les actions décrites au dossier, et à partager les informations utiles aux "
        "parcours dans le respect de la réglementation.",
        "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
    ]
    return letter_pdf("Lettre d'engagement – projet SPIE", member["structure"], lines, member["signatory"])


def simple_document(title: str, lines: list[str]) -> bytes:
    return letter_pdf(title, CD_NAME, lines, "Claire Martin, présidente du conseil départemental")


DOCUMENTS: dict[str, tuple[str, str, list[str]]] = {
    "deliberation": (
        "deliberation-commission-permanente.pdf",
        "Délibération de la commission permanente du 20 septembre 2021",
        [
            "La commission permanente du conseil départemental,",
            "Vu l'appel à manifestation d'intérêt pour le déploiement du Service public de l'insertion et de "
            "l'emploi publié le 15 juillet 2021,",
            "Décide d'approuver la candidature du Département au nom du consortium réuni autour du projet "
            "« Un parcours, un référent », et autorise la présidente à déposer le dossier et à signer tout "
            "document s'y rapportant.",
            "Adopté à l'unanimité.",
        ],
    ),
    "budget_detaille": (
        "budget-detaille.pdf",
        "Budget prévisionnel détaillé 2022-2023",
        [
            "Dépenses 2022 : 295 000 € ; dépenses 2023 : 305 000 € ; total : 600 000 €.",
            "Ressources : État 450 000 € (sollicité) ; Département 100 000 € (obtenu) ; Pôle emploi, apport "
            "valorisé 30 000 € (obtenu) ; CAF 20 000 € (sollicité).",
            "Le détail par action et par poste figure dans le tableur joint au dossier en ligne.",
        ],
    ),
    "rib": (
        "rib-departement.pdf",
        "Relevé d'identité bancaire",
        [
            "Titulaire : Département de la Haute-Vallée – Paierie départementale.",
            "Domiciliation : Banque de France, succursale fictive de Morvanne.",
            "Document d'exemple : aucune coordonnée bancaire réelle n'y figure.",
        ],
    ),
    "lettres_soutien": (
        "lettre-soutien-club-entreprises.pdf",
        "Lettre de soutien du club d'entreprises Haute-Vallée Emploi",
        [
            "Le club d'entreprises Haute-Vallée Emploi, qui réunit 45 employeurs du département, soutient le "
            "projet « Un parcours, un référent » et s'engage à accueillir des personnes accompagnées en "
            "immersion et à participer aux rencontres trimestrielles.",
        ],
    ),
}


def attachment(field_path: str, name: str, content: bytes) -> dict[str, Any]:
    return {
        "field": field_path,
        "name": name,
        "media_type": "application/pdf",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


def attachments() -> list[dict[str, Any]]:
    out = []
    for i, m in enumerate(MEMBERS):
        if "letter" in m:
            out.append(attachment(f"consortium[{i}].lettre_engagement", m["letter"], commitment_letter(m)))
    for field_id, (name, title, lines) in DOCUMENTS.items():
        out.append(attachment(field_id, name, simple_document(title, lines)))
    return out


def dossier() -> dict[str, Any]:
    return {
        "format": "spie-dossier",
        "format_version": 1,
        "template": {"id": "ami-spie-2021-vague2", "version": "1.0"},
        "dossier": {
            "id": DOSSIER_ID,
            "title": "Exemple fictif – Département de la Haute-Vallée, « Un parcours, un référent »",
            "created_at": CREATED_AT,
            "updated_at": UPDATED_AT,
        },
        "answers": answers(),
        "attachments": attachments(),
        "comments": [],
    }


# ---------------------------------------------------------------------------------------------
# Self-check: the example must satisfy the template without any engine
# ---------------------------------------------------------------------------------------------


def self_check(template: Template, data: dict[str, Any]) -> list[str]:
    """Problems a reviewer would see: wrong value types, missing required answers, limits, totals."""
    problems: list[str] = []
    answers_ = data["answers"]
    attached = {a["field"] for a in data["attachments"]}

    def check_value(spec, value, where, row=None) -> None:
        visible = is_visible(spec, answers_, row)
        t = spec.type
        if not t.holds_answer:
            return
        if t is FieldType.PIECE_JUSTIFICATIVE:
            if value is not None:
                problems.append(f"{where}: une pièce jointe n'a pas de valeur dans « answers »")
            if visible and spec.required and where not in attached:
                problems.append(f"{where}: pièce obligatoire absente")
            return
        if value is None:
            if visible and spec.required:
                problems.append(f"{where}: réponse obligatoire absente")
            return
        if not visible:
            problems.append(f"{where}: réponse à une question masquée")
        if t is FieldType.INTEGER_NUMBER and (not isinstance(value, int) or isinstance(value, bool)):
            problems.append(f"{where}: entier attendu")
        elif t is FieldType.DECIMAL_NUMBER:
            if not isinstance(value, str):
                problems.append(f"{where}: nombre décimal en texte attendu")
            else:
                Decimal(value)
        elif t in (FieldType.YES_NO, FieldType.CHECKBOX) and not isinstance(value, bool):
            problems.append(f"{where}: true/false attendu")
        elif t is FieldType.MULTIPLE_DROP_DOWN_LIST:
            if not isinstance(value, list) or not set(value) <= set(spec.options):
                problems.append(f"{where}: liste d'options attendue")
        elif t is FieldType.DROP_DOWN_LIST and value not in spec.options and not spec.other_option:
            problems.append(f"{where}: « {value} » n'est pas une option")
        elif t is FieldType.TEXTAREA:
            size = len(value.encode("utf-8"))
            if spec.character_limit and size > spec.character_limit:
                problems.append(f"{where}: {size} octets pour {spec.character_limit} au plus")
        elif t is FieldType.DATE:
            lo, hi = template.parameters["project_start"], template.parameters["project_end"]
            if not lo <= value <= hi:
                problems.append(f"{where}: date hors période")
        elif t is FieldType.REPETITION:
            if not isinstance(value, list):
                problems.append(f"{where}: liste de lignes attendue")
                return
            if spec.min_rows and len(value) < spec.min_rows:
                problems.append(f"{where}: {len(value)} ligne(s) pour {spec.min_rows} au moins")
            for i, r in enumerate(value):
                if not (isinstance(r.get("_id"), str) and r["_id"].startswith("r")):
                    problems.append(f"{where}[{i}]: identifiant de ligne manquant")
                unknown = set(r) - {"_id"} - {c.id for c in spec.children}
                if unknown:
                    problems.append(f"{where}[{i}]: clés inconnues {sorted(unknown)}")
                for child in spec.children:
                    check_value(child, r.get(child.id), f"{where}[{i}].{child.id}", r)

    index = template.field_index()
    unknown = set(answers_) - set(index)
    if unknown:
        problems.append(f"clés inconnues : {sorted(unknown)}")
    for _, spec in template.iter_fields():
        check_value(spec, answers_.get(spec.id), spec.id)

    def total(field_id: str, where: tuple[str, str] | None = None) -> Decimal:
        return sum(
            (Decimal(r["montant"]) for r in answers_[field_id] if where is None or r[where[0]] == where[1]),
            Decimal(0),
        )

    params = template.parameters
    expenses = total("depenses")
    if expenses != total("ressources"):
        problems.append(f"budget déséquilibré : {expenses} ≠ {total('ressources')}")
    etat = Decimal(answers_["montant_etat"])
    if etat != total("ressources", ("nature", "État")):
        problems.append("montant_etat ≠ ressources de nature État")
    if etat > Decimal(params["state_funding_cap"]):
        problems.append("plafond de l'État dépassé")
    if etat / expenses > Decimal(params["max_state_share"]):
        problems.append("part de l'État au-delà de 80 %")
    if len(answers_["actions"]) < params["min_actions"]:
        problems.append("pas assez d'actions")
    if len({a["axe"] for a in answers_["actions"]}) < 6:
        problems.append("les actions ne couvrent pas les six axes")
    kinds = {r["type_structure"] for r in answers_["consortium"]}
    if not {"Conseil départemental", "Pôle emploi"} <= kinds or len(answers_["consortium"]) < 8:
        problems.append("consortium incomplet")
    for a in answers_["actions"]:
        if a["date_debut"] > a["date_fin"]:
            problems.append(f"action « {a['titre']} » : dates inversées")
    for a in data["attachments"]:
        content = base64.b64decode(a["content_base64"])
        if len(content) != a["size"] or hashlib.sha256(content).hexdigest() != a["sha256"]:
            problems.append(f"{a['field']}: taille ou empreinte fausse")
    return problems


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="vérifier que le fichier est à jour, sans l'écrire"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    template = load_template_file(TEMPLATE_FILE)
    data = dossier()
    problems = self_check(template, data)
    if problems:
        for p in problems:
            print(f"problème : {p}", file=sys.stderr)
        return 2
    text = render(data)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} n'est pas à jour : relancez tools/build_example.py", file=sys.stderr)
            return 1
        print(f"{args.output} est à jour")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    print(
        f"écrit : {args.output} ({len(text.encode('utf-8'))} octets, {len(data['attachments'])} pièces jointes)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
