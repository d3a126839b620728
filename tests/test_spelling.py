"""French spell checking with the shipped Dicollecte dictionary: words, suggestions, the personal
dictionary, the dossier's own names accepted."""

from __future__ import annotations

import pytest

from spie_desktop.settings import data_dir
from spie_desktop.snapshot import DossierInfo, DossierSnapshot
from spie_desktop.spelling import (
    PERSONAL_FILE,
    TITLE_KEY,
    SpellChecker,
    Vocabulary,
    check_dossier,
    dictionary_dir,
    dossier_vocabulary,
    load_engine,
    read_word_list,
    words_of,
)


@pytest.fixture(scope="module")
def engine():
    return load_engine()


@pytest.fixture
def checker(engine, tmp_path):
    return SpellChecker(engine, tmp_path / PERSONAL_FILE)


def test_the_dictionary_ships_with_its_licence():
    d = dictionary_dir()
    assert (d / "fr_FR.aff").stat().st_size > 100_000 and (d / "fr_FR.dic").stat().st_size > 1_000_000
    assert "Mozilla Public License" in (d / "LICENSE-MPL-2.0.txt").read_text(encoding="utf-8")


def test_french_words_elisions_and_compounds(checker):
    text = (
        "Le diagnostic partagé avec l'ensemble des élus et l’équipe : peut-être que la mobilite des "
        "benevoles reste un frein. Contact : camille@cd26.fr, www.drome.fr, 12 500 € en 2023."
    )
    assert [m.word for m in checker.misspellings(text)] == ["mobilite", "benevoles"]
    m = checker.misspellings(text)[0]
    assert text[m.start : m.end] == "mobilite"


def test_words_of_skips_addresses_and_numbers():
    assert [w for _s, _e, w in words_of("voir https://exemple.fr/page ou nom@x.fr puis B2B et fin")] == [
        "voir",
        "ou",
        "puis",
        "et",
        "fin",
    ]


def test_suggestions_put_accents_back_first(checker):
    assert checker.suggestions("mobilite")[0] == "mobilité"
    assert checker.suggestions("benevoles")[0] == "bénévoles"
    assert checker.suggestions("Mobilite")[0] == "Mobilité"


def test_acronyms_and_dossier_names_are_accepted(checker, template_2021):
    assert checker.misspellings("Avec la CAF, le RSA, les EPCI et les SIAE.") == []
    info = DossierInfo("d", "Projet Valdrôme", template_2021.id, "1", "", "")
    snap = DossierSnapshot(
        template_2021,
        info,
        {
            "porteur_nom": "Association Kerbrat Insertion",
            "epcis": [{"_id": "r1", "epci": "Communauté de communes du Diois"}],
            "consortium": [
                {"_id": "r2", "structure": "Fondation Alzeyrac", "role": "Pilote avec Kerbrat. Mobilite."}
            ],
            "resume": "Le projet Valdrôme réunit Kerbrat et Alzeyrac dans le Diois ; Zorglub aussi.",
        },
    )
    assert {"Kerbrat", "Diois", "Alzeyrac", "Valdrôme"} <= dossier_vocabulary(snap)
    unknown = check_dossier(snap, checker)
    assert [(u.word, u.path.split("[")[0], u.location) for u in unknown] == [
        ("Mobilite", "consortium", "Membre 1"),
        ("Zorglub", "resume", ""),
    ]
    assert unknown[1].section_title.endswith("Le projet et ses actions")


def test_personal_dictionary_is_kept_in_the_data_folder(engine):
    checker = SpellChecker(engine)
    assert checker.personal_file.parent == data_dir()
    assert [m.word for m in checker.misspellings("la remobilisation des transpartenariaux")] == [
        "transpartenariaux"
    ]
    checker.add_to_personal("transpartenariaux")
    assert checker.misspellings("la remobilisation des transpartenariaux") == []
    assert read_word_list(data_dir() / PERSONAL_FILE) == ["transpartenariaux"]
    again = SpellChecker(engine)
    assert again.is_known("transpartenariaux") and again.is_known("Transpartenariaux")


def test_ignore_lasts_for_the_checker_only(checker, engine, tmp_path):
    assert not checker.is_known("Zorglub")
    checker.ignore("Zorglub")
    assert checker.is_known("Zorglub")
    assert not SpellChecker(engine, tmp_path / "autre.txt").is_known("Zorglub")


def test_a_corrupt_personal_file_means_an_empty_dictionary(engine, tmp_path):
    bad = tmp_path / "perso.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    assert SpellChecker(engine, bad).personal == set()


def test_the_vocabulary_kept_answer_by_answer_is_the_dossier_s(template_2021):
    """The window's incremental vocabulary (issue 14) says what a full reading of the dossier says,
    after edits, rows removed and re-read, a name used twice and removed once."""
    answers = {
        "porteur_nom": "Association Kerbrat Insertion",
        "epcis": [{"_id": "r1", "epci": "Communauté de communes du Diois"}],
        "consortium": [
            {"_id": "r2", "structure": "Fondation Alzeyrac", "role": "Pilote. Mobilite."},
            {"_id": "r3", "structure": "Kerbrat Emploi", "role": "Partenaire"},
        ],
        "resume": "Zorglub écrit un paragraphe.",
    }

    def full(answers, title="Projet Valdrôme"):
        info = DossierInfo("d", title, template_2021.id, "1", "", "")
        return DossierSnapshot(template_2021, info, answers)

    v = Vocabulary(template_2021)
    steps = v.fill(full(answers), step=1)
    assert next(steps) is None and not v.filled  # read in slices
    for _ in steps:
        pass
    assert v.filled and v.words == dossier_vocabulary(full(answers))
    assert "Zorglub" not in v.words and "Mobilite" not in v.words  # a paragraph vouches for nothing

    assert v.set("porteur_nom", "Association Solidaire")  # Kerbrat still named by row r3
    assert "Kerbrat" in v.words and "Solidaire" in v.words
    assert not v.set("porteur_nom", "Association Solidaire")  # unchanged: nothing to redraw
    v.drop_rows("consortium")  # the rows changed: re-read the one left
    v.set("consortium[r2].structure", "Fondation Alzeyrac")
    assert "Kerbrat" not in v.words and "Alzeyrac" in v.words
    v.set(TITLE_KEY, "Projet Drôme")
    after = {
        **answers,
        "porteur_nom": "Association Solidaire",
        "consortium": [answers["consortium"][0]],
    }
    assert v.words == dossier_vocabulary(full(after, "Projet Drôme"))
    assert not v.set("inconnu[r9].champ", "Nom Propre") and not v.set("pas un chemin", "X")
