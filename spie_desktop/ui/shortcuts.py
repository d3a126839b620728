"""The keyboard shortcuts, listed in one place: the window binds them and Aide › Raccourcis shows them
(:mod:`.shortcuts_dialog`, loaded when asked for: the window's start-up needs only the keys)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

#: action name -> (key sequence, French description)
SHORTCUTS: dict[str, tuple[str, str]] = {
    "new": ("Ctrl+N", "Créer un nouveau dossier"),
    "open": ("Ctrl+O", "Ouvrir un dossier"),
    "save_copy": ("Ctrl+Shift+S", "Enregistrer une copie sous…"),
    "close": ("Ctrl+W", "Fermer le dossier"),
    "quit": ("Ctrl+Q", "Quitter"),
    "preferences": ("Ctrl+,", "Préférences"),
    "find": ("Ctrl+F", "Rechercher dans tout le dossier (réponses, questions, aides, commentaires)"),
    "replace": ("Ctrl+H", "Remplacer dans les réponses écrites, avec un aperçu"),
    "spelling": ("Shift+F7", "Vérifier l'orthographe du dossier"),
    "zoom_in": ("Ctrl++", "Agrandir le texte (aussi Ctrl+molette)"),
    "zoom_out": ("Ctrl+-", "Réduire le texte"),
    "zoom_reset": ("Ctrl+0", "Taille du texte normale"),
    "check": ("F7", "Vérifier le dossier"),
    "close_check": ("Ctrl+Shift+F7", "Fermer le panneau de vérification (aussi Échap dans le panneau)"),
    "previous": ("Ctrl+PgUp", "Section précédente"),
    "next": ("Ctrl+PgDown", "Section suivante"),
    "rename": ("F2", "Renommer le dossier"),
    "info": ("Ctrl+I", "Informations sur le dossier"),
    "sections": ("Ctrl+L", "Aller à la liste des sections"),
    "shortcuts": ("F1", "Afficher les raccourcis clavier"),
    "undo": (
        "Ctrl+Z",
        "Annuler la dernière modification du dossier (saisie, ligne, fichier, intégration…), "
        "pendant la session",
    ),
    "redo": ("Ctrl+Shift+Z", "Rétablir ce qui vient d'être annulé (aussi Ctrl+Y)"),
    "print": ("Ctrl+P", "Imprimer la copie de relecture (imprimante, exemplaires, recto verso)"),
    "export_pdf": ("Ctrl+Shift+P", "Enregistrer la copie de relecture PDF"),
    "filing_view": ("Ctrl+Shift+D", "Dépôt en ligne : copier les réponses une à une"),
}
#: keys handled by the widgets themselves, listed for the user
OTHER_KEYS: list[tuple[str, str]] = [
    ("Tab", "Aller au champ suivant"),
    ("Shift+Tab", "Revenir au champ précédent"),
    ("Enter", "Dans la vérification : aller au champ du problème choisi"),
    ("Esc", "Dans la vérification : fermer le panneau"),
    ("F10", "Ouvrir la barre de menus (puis les flèches)"),
    ("Ctrl+Alt+M", "Commentaires du champ ou de la ligne qui a le focus"),
]

#: said under the list (Aide › Raccourcis clavier)
UNDO_NOTE = (
    "Annuler et Rétablir (Édition) valent pour tout le dossier, pendant la session : saisies, "
    "réponses, lignes, fichiers, titre, sections confiées, intégration d'une copie. Chaque annulation "
    "est enregistrée comme une modification. Fermer le dossier oublie ce qu'on peut annuler ; "
    "l'« Historique du dossier » garde, lui, toutes les modifications."
)


def key(name: str) -> QKeySequence:
    return QKeySequence(SHORTCUTS[name][0])


def native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)
